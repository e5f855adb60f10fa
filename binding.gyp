{
  "targets": [
    {
      "target_name": "walker",
      "sources": ["src/backup/adapters/native-walker/walker.c", "src/backup/adapters/native-walker/access-facts.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    },
    {
      "target_name": "digest",
      "sources": ["src/backup/adapters/native-walker/digest.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
