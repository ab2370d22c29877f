public enum TriageConsoleModule {}
