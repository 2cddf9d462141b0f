// reports/json_summary.cpp: SweepSummary -> pretty JSON text.
#include "reports/json_summary.hpp"

#include <ostream>

#include <nlohmann/json.hpp>

namespace roomsim::reports {

std::string json_summary_text(const scenarios::SweepSummary& summary) {
  const nlohmann::json j = summary;
  // Invalid UTF-8 in an explanation must not abort a sweep's output: replace it.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void write_json_summary(const scenarios::SweepSummary& summary, std::ostream& out) {
  out << json_summary_text(summary);
}

WriteStatus write_json_summary_file(const scenarios::SweepSummary& summary, const std::filesystem::path& path) {
  return write_text_file(path, json_summary_text(summary));
}

}  // namespace roomsim::reports
