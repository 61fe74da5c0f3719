/// The version `augur --version`, MLflow's `GET /version` and V2 server metadata report.
public enum AugurVersion {
    public static let current = "0.1.0"
}
