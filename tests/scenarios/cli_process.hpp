// tests/scenarios/cli_process.hpp: runs the built `roomsim` binary (or any
// shell command) from a test and captures its exit code and output, for the
// end-to-end CLI tests and the tests that execute the shipped CI workflow
// and Kubernetes manifest.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace roomsim::testing {

struct CliRun {
  int exit_code = -1;  // -1: killed by a signal, or the command could not start
  std::string output;  // stdout and stderr
};

inline const std::string& roomsim_binary() {
  static const std::string path = std::string(ROOMSIM_BINARY_DIR) + "/cli/roomsim";
  return path;
}

// Runs `command` with /bin/sh, stderr folded into stdout.
inline CliRun run_shell(const std::string& command) {
  CliRun r;
  const std::string cmd = "(" + command + ") 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline CliRun run_roomsim(const std::string& args) { return run_shell(roomsim_binary() + " " + args); }

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(std::filesystem::temp_directory_path() / ("roomsim_" + tag + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace roomsim::testing
