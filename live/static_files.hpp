// live/static_files.hpp: the web client's files, as an allow-list read once.
//
// At start-up the server reads the regular files directly inside the web
// directory into memory; those, and nothing else, are what GET / and GET
// /<name> can return. A request path matches an entry byte for byte ("/"
// means "/index.html"): nothing is decoded, joined or resolved per request,
// so no spelling of a path (absolute, "//", "..", %2e, %2f, backslash, NUL,
// overlong UTF-8) can name another file, and no io thread ever opens a file.
// Skipped at load, each with a note: names outside [A-Za-z0-9._-] or starting
// with '.', names without a web extension (.html .js .css .json .svg .png .ico
// .txt; so a database or log file dropped there is never served), subdirectories, anything that is not a regular file, a symlink
// whose target lies outside the directory, files above kFileBytesMax, and
// entries past kFilesMax. Immutable after load: thread-safe to read.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace roomsim::live {

struct StaticFile {
  std::string name;  // file name in the web directory, e.g. "app.js"
  const char* content_type = "text/plain; charset=utf-8";
  std::string body;
};

class StaticFiles {
 public:
  static constexpr size_t kFileBytesMax = 1u << 20;  // per file
  static constexpr size_t kFilesMax = 64;

  // No files: every lookup misses.
  StaticFiles() = default;

  // Reads the allow-list of `dir`. Returns the set, or a message naming the
  // directory when it does not exist or cannot be listed. `notes` receives one
  // line per skipped entry (for the server log).
  static std::variant<StaticFiles, std::string> load(const std::string& dir, std::vector<std::string>& notes);

  // The file a raw request path (the target before '?') names; nullptr when
  // the allow-list has no such entry.
  const StaticFile* find(std::string_view request_path) const;
  size_t size() const { return files_.size(); }

 private:
  std::map<std::string, StaticFile, std::less<>> files_;  // "/<name>" -> file
};

}  // namespace roomsim::live
