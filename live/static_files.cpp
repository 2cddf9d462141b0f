// live/static_files.cpp: see static_files.hpp.
#include "live/static_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace roomsim::live {
namespace {

namespace fs = std::filesystem;

const char* mime_type(std::string_view name) {
  auto ends_with = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".json")) return "application/json";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  if (ends_with(".ico")) return "image/x-icon";
  if (ends_with(".txt")) return "text/plain; charset=utf-8";
  return nullptr;  // not a kind of file a web client ships: never served
}

bool is_plain_name(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_';
  });
}

// True when `p` is `dir` or below it (both canonical).
bool is_within(const fs::path& p, const fs::path& dir) {
  auto pit = p.begin();
  for (auto dit = dir.begin(); dit != dir.end(); ++dit, ++pit) {
    if (pit == p.end() || *pit != *dit) return false;
  }
  return true;
}

// Reads at most `limit` + 1 bytes: a larger file reads as one byte too many.
bool read_bounded(const fs::path& path, size_t limit, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.resize(limit + 1);
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<size_t>(in.gcount()));
  return !in.bad();
}

}  // namespace

std::variant<StaticFiles, std::string> StaticFiles::load(const std::string& dir, std::vector<std::string>& notes) {
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root, ec)) return "--web-dir " + dir + ": not a readable directory";
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
  if (ec) return "--web-dir " + dir + ": cannot list: " + ec.message();
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
  StaticFiles out;
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    const std::string where = (fs::path(dir) / name).string();
    if (!is_plain_name(name)) {
      notes.push_back(where + ": not served (names are [A-Za-z0-9._-] and do not start with '.')");
      continue;
    }
    const fs::path target = fs::canonical(entry.path(), ec);
    if (ec || !is_within(target, root)) {
      notes.push_back(where + ": not served (resolves outside the web directory)");
      continue;
    }
    if (!fs::is_regular_file(target, ec)) {
      notes.push_back(where + ": not served (not a regular file)");
      continue;
    }
    if (mime_type(name) == nullptr) {
      notes.push_back(where + ": not served (only .html .js .css .json .svg .png .ico .txt files are)");
      continue;
    }
    if (out.files_.size() >= kFilesMax) {
      notes.push_back(where + ": not served (more than " + std::to_string(kFilesMax) + " files)");
      continue;
    }
    StaticFile file{name, mime_type(name), {}};
    if (!read_bounded(target, kFileBytesMax, file.body)) {
      notes.push_back(where + ": not served (cannot read)");
      continue;
    }
    if (file.body.size() > kFileBytesMax) {
      notes.push_back(where + ": not served (larger than " + std::to_string(kFileBytesMax) + " bytes)");
      continue;
    }
    out.files_.emplace("/" + name, std::move(file));
  }
  return out;
}

const StaticFile* StaticFiles::find(std::string_view request_path) const {
  if (request_path == "/") request_path = "/index.html";
  auto it = files_.find(request_path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace roomsim::live
