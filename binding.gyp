{
  "targets": [
    {
      "target_name": "walker",
      "sources": ["src/backup/adapters/native-walker/walker.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
