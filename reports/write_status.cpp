// reports/write_status.cpp: atomic-ish text file output with actionable errors.
#include "reports/write_status.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace roomsim::reports {

WriteStatus write_text_file(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return {path.string() + ": cannot create directory " + path.parent_path().string() + ": " + ec.message()};
  }
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return {path.string() + ": cannot open for writing: " + std::strerror(errno)};
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return {path.string() + ": write failed (disk full?)"};
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return {path.string() + ": cannot move the finished file into place: " + ec.message()};
  }
  return {};
}

}  // namespace roomsim::reports
