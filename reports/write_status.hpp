// reports/write_status.hpp: the result of writing a report file, and the one
// helper every report writer uses to put text on disk.
//
// Writing a report is an expected-failure operation (a read-only directory, a
// full disk): it returns a WriteStatus whose message names the file and the
// reason, never throws, never writes a partial file silently.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace roomsim::reports {

struct WriteStatus {
  std::string error;  // empty on success; else "<path>: <what went wrong>"
  bool ok() const { return error.empty(); }
};

// Writes `content` to `path` (binary, truncating), creating missing parent
// directories. The file is written to "<path>.tmp" and renamed into place, so
// a reader never sees a half-written report.
WriteStatus write_text_file(const std::filesystem::path& path, std::string_view content);

}  // namespace roomsim::reports
