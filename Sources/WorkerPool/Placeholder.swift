public enum WorkerPoolModule {}
