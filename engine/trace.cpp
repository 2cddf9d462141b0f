// engine/trace.cpp: canonical trace lines, their rolling hash (engine/rng.hpp hash_words64), JSONL output.
#include "engine/trace.hpp"

#include <cstdio>
#include <ostream>

#include <nlohmann/json.hpp>

#include "engine/assert.hpp"
#include "engine/rng.hpp"

namespace roomsim {

std::string hex16(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}


std::string Trace::hash_hex() const { return hex16(hash_); }

void Trace::record(Time t, std::string_view kind, std::string_view fields) {
  scratch_.clear();
  scratch_ += std::to_string(t.ns());
  scratch_ += ' ';
  scratch_ += kind;
  if (!fields.empty()) {
    scratch_ += ' ';
    scratch_ += fields;
  }
  scratch_ += '\n';
  record_canonical(t, kind, fields, scratch_);
}

void Trace::record_canonical(Time t, std::string_view kind, std::string_view fields, std::string_view line) {
  ROOMSIM_ASSERT(!line.empty());
  ROOMSIM_ASSERT(line.back() == '\n');
  hash_ = hash_words64(hash_, line);
  if (jsonl_ != nullptr) {
    nlohmann::json j = {{"i", count_}, {"t_ns", t.ns()}, {"kind", kind}, {"fields", fields}};
    *jsonl_ << j.dump() << '\n';
  }
  if (keep_lines_max_ > 0) {
    if (lines_.size() < keep_lines_max_) {
      lines_.emplace_back(line.data(), line.size() - 1);
    } else {
      ++lines_dropped_;
    }
  }
  ++count_;
}

}  // namespace roomsim
