// scenarios/json_reader.hpp: reads a JSON document field by field and collects
// every error with its JSON path instead of stopping at the first one.
//
// Messages have the form `<source>: <path>: expected <what>, got <json>`,
// e.g. `chat.json: /faults/2/duration_ms: expected an integer in [1,
// 10000000000], got "10s"`. An `ObjectReader` remembers which keys were read; `finish()`
// reports every other key as an unknown field, so nothing is silently ignored.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace roomsim::scenarios {

class ErrorList {
 public:
  explicit ErrorList(std::string source) : source_(std::move(source)) {}
  void add(const std::string& path, const std::string& message);
  void expected(const std::string& path, const std::string& what, const nlohmann::json& got);
  const std::vector<std::string>& messages() const { return messages_; }
  bool empty() const { return messages_.empty(); }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::vector<std::string> messages_;
};

// The path of a child: "/faults" + 2 -> "/faults/2".
std::string child_path(const std::string& path, std::string_view key);
std::string child_path(const std::string& path, size_t index);

class ObjectReader {
 public:
  // Reports an error (and reads nothing) if `j` is not an object.
  ObjectReader(const nlohmann::json& j, std::string path, ErrorList& errors);

  bool ok() const { return ok_; }
  bool has(const char* key) const;
  // The raw value of `key` (marks it read), or nullptr when absent.
  const nlohmann::json* raw(const char* key);
  // Reports `key` missing when absent. Returns whether it is present.
  bool require(const char* key);

  // Each reader leaves `out` unchanged when the field is absent or invalid.
  void string(const char* key, std::string& out, bool non_empty = false);
  void boolean(const char* key, bool& out);
  // Integers in [min, max] (inclusive); an error says "an integer in [min, max]".
  void integer(const char* key, int64_t& out, int64_t min, int64_t max);
  void integer(const char* key, int& out, int64_t min, int64_t max);
  void unsigned_integer(const char* key, uint64_t& out, uint64_t min, uint64_t max);
  // Numbers in [min, max] (inclusive), any JSON number; `what` describes the
  // range in errors (default "a number in [min, max]").
  void number(const char* key, double& out, double min, double max, const std::string& what = "");
  void string_list(const char* key, std::vector<std::string>& out);
  // Enum by name: `names` maps each accepted name to its value.
  template <typename E>
  void enumeration(const char* key, E& out, const std::vector<std::pair<std::string, E>>& names);

  // Reports every key that was never read as an unknown field.
  void finish();

  const std::string& path() const { return path_; }
  ErrorList& errors() { return errors_; }

 private:
  const nlohmann::json& j_;
  std::string path_;
  ErrorList& errors_;
  bool ok_;
  std::set<std::string> read_;
};

// "one of \"a\", \"b\", \"c\"".
std::string one_of(const std::vector<std::string>& names);
// "an integer in [1, 100]", "a number in [0, 1000]": how out-of-range errors name a range.
std::string integer_range(int64_t min, int64_t max);
std::string number_range(double min, double max);
std::string positive_number_range(double max);  // "a number in (0, max]"

template <typename E>
void ObjectReader::enumeration(const char* key, E& out, const std::vector<std::pair<std::string, E>>& names) {
  const nlohmann::json* v = raw(key);
  if (v == nullptr) return;
  std::vector<std::string> all;
  for (const auto& [name, value] : names) {
    all.push_back(name);
    if (v->is_string() && v->get<std::string>() == name) {
      out = value;
      return;
    }
  }
  errors_.expected(child_path(path_, key), one_of(all), *v);
}

}  // namespace roomsim::scenarios
