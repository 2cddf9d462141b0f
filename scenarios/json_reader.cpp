// scenarios/json_reader.cpp: path-aware, error-collecting JSON field reader.
#include "scenarios/json_reader.hpp"

#include <algorithm>
#include <cmath>

#include "rooms/protocol/json_limits.hpp"

namespace roomsim::scenarios {

using nlohmann::json;

void ErrorList::add(const std::string& path, const std::string& message) {
  messages_.push_back(source_ + ": " + (path.empty() ? "/" : path) + ": " + message);
}

void ErrorList::expected(const std::string& path, const std::string& what, const json& got) {
  std::string shown = got.dump();
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  add(path, "expected " + what + ", got " + shown);
}

std::string child_path(const std::string& path, std::string_view key) {
  return rooms::protocol::json_pointer_child(path, key);
}

std::string child_path(const std::string& path, size_t index) { return rooms::protocol::json_pointer_child(path, index); }

std::string one_of(const std::vector<std::string>& names) {
  std::string out = "one of ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += "\"" + names[i] + "\"";
  }
  return out;
}

ObjectReader::ObjectReader(const json& j, std::string path, ErrorList& errors)
    : j_(j), path_(std::move(path)), errors_(errors), ok_(j.is_object()) {
  if (!ok_) errors_.expected(path_, "an object", j);
}

bool ObjectReader::has(const char* key) const { return ok_ && j_.contains(key); }

const json* ObjectReader::raw(const char* key) {
  if (!ok_) return nullptr;
  read_.insert(key);
  auto it = j_.find(key);
  return it == j_.end() ? nullptr : &*it;
}

bool ObjectReader::require(const char* key) {
  if (!ok_) return false;
  if (j_.contains(key)) return true;
  errors_.add(child_path(path_, key), "missing required field");
  return false;
}

void ObjectReader::string(const char* key, std::string& out, bool non_empty) {
  const json* v = raw(key);
  if (v == nullptr) return;
  if (!v->is_string() || (non_empty && v->get<std::string>().empty())) {
    errors_.expected(child_path(path_, key), non_empty ? "a non-empty string" : "a string", *v);
    return;
  }
  out = v->get<std::string>();
}

void ObjectReader::boolean(const char* key, bool& out) {
  const json* v = raw(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) {
    errors_.expected(child_path(path_, key), "true or false", *v);
    return;
  }
  out = v->get<bool>();
}

std::string integer_range(int64_t min, int64_t max) {
  return "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

namespace {
// 3600000 rather than 3600000.0 when the bound is a whole number.
std::string bound_text(double v) {
  if (std::abs(v) < 1e15 && v == std::trunc(v)) return std::to_string(static_cast<int64_t>(v));
  return json(v).dump();
}
}  // namespace

std::string number_range(double min, double max) {
  return "a number in [" + bound_text(min) + ", " + bound_text(max) + "]";
}

std::string positive_number_range(double max) { return "a number in (0, " + bound_text(max) + "]"; }

void ObjectReader::integer(const char* key, int64_t& out, int64_t min, int64_t max) {
  const json* v = raw(key);
  if (v == nullptr) return;
  const bool integral = v->is_number_integer() && !(v->is_number_unsigned() && v->get<uint64_t>() > INT64_MAX);
  if (!integral || v->get<int64_t>() < min || v->get<int64_t>() > max) {
    errors_.expected(child_path(path_, key), integer_range(min, max), *v);
    return;
  }
  out = v->get<int64_t>();
}

void ObjectReader::integer(const char* key, int& out, int64_t min, int64_t max) {
  int64_t wide = out;
  integer(key, wide, std::max<int64_t>(min, INT32_MIN), std::min<int64_t>(max, INT32_MAX));
  out = static_cast<int>(wide);
}

void ObjectReader::unsigned_integer(const char* key, uint64_t& out, uint64_t min, uint64_t max) {
  const json* v = raw(key);
  if (v == nullptr) return;
  const bool ok = v->is_number_unsigned() || (v->is_number_integer() && v->get<int64_t>() >= 0);
  if (!ok || v->get<uint64_t>() < min || v->get<uint64_t>() > max) {
    const auto bound = [](uint64_t x) { return static_cast<int64_t>(std::min<uint64_t>(x, INT64_MAX)); };
    errors_.expected(child_path(path_, key), integer_range(bound(min), bound(max)), *v);
    return;
  }
  out = v->get<uint64_t>();
}

void ObjectReader::number(const char* key, double& out, double min, double max, const std::string& what) {
  const json* v = raw(key);
  if (v == nullptr) return;
  if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < min || v->get<double>() > max) {
    errors_.expected(child_path(path_, key), what.empty() ? number_range(min, max) : what, *v);
    return;
  }
  out = v->get<double>();
}

void ObjectReader::string_list(const char* key, std::vector<std::string>& out) {
  const json* v = raw(key);
  if (v == nullptr) return;
  if (!v->is_array()) {
    errors_.expected(child_path(path_, key), "an array of strings", *v);
    return;
  }
  std::vector<std::string> values;
  bool good = true;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      errors_.expected(child_path(child_path(path_, key), i), "a string", (*v)[i]);
      good = false;
      continue;
    }
    values.push_back((*v)[i].get<std::string>());
  }
  if (good) out = std::move(values);
}

void ObjectReader::finish() {
  if (!ok_) return;
  for (auto it = j_.begin(); it != j_.end(); ++it) {
    if (read_.count(it.key()) != 0) continue;
    std::vector<std::string> known(read_.begin(), read_.end());
    errors_.add(child_path(path_, it.key()), "unknown field (known fields: " + [&] {
      std::string s;
      for (size_t i = 0; i < known.size(); ++i) s += (i ? ", " : "") + known[i];
      return s;
    }() + ")");
  }
}

}  // namespace roomsim::scenarios
