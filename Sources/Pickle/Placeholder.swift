public enum PickleModule {}
