// netsim/measured_rtt.cpp: parses the embedded measured-RTT tables once.
#include "netsim/measured_rtt.hpp"

#include <algorithm>
#include <cmath>

#include "engine/assert.hpp"
#include "netsim/embedded_csv.hpp"
#include "netsim/topology.hpp"

namespace roomsim::netsim {

namespace internal {
extern const std::string_view kRttCitiesCsv;
extern const std::string_view kRttCsv;
}  // namespace internal

namespace {

// "390.497" -> 390497: at most three decimals, no sign, no exponent.
uint32_t parse_rtt_us(std::string_view text) {
  uint64_t whole = 0;
  uint64_t fraction = 0;
  int fraction_digits = -1;
  for (char c : text) {
    if (c == '.' && fraction_digits < 0) {
      fraction_digits = 0;
      continue;
    }
    ROOMSIM_ASSERT_MSG(c >= '0' && c <= '9', "malformed RTT in netsim/data/rtt.csv");
    if (fraction_digits < 0) {
      whole = whole * 10 + static_cast<uint64_t>(c - '0');
      ROOMSIM_ASSERT_MSG(whole < 1'000'000, "RTT over 1,000 s in netsim/data/rtt.csv");
    } else {
      ROOMSIM_ASSERT_MSG(fraction_digits < 3, "RTT with more than 3 decimals in netsim/data/rtt.csv");
      fraction = fraction * 10 + static_cast<uint64_t>(c - '0');
      ++fraction_digits;
    }
  }
  for (int d = std::max(fraction_digits, 0); d < 3; ++d) fraction *= 10;
  return static_cast<uint32_t>(whole * 1000 + fraction);
}

}  // namespace

MeasuredRtt::MeasuredRtt() {
  internal::for_each_csv_row(internal::kRttCitiesCsv, [&](const std::vector<std::string_view>& f) {
    ROOMSIM_ASSERT_MSG(f.size() == 6, "malformed row in netsim/data/rtt_cities.csv");
    cities_.push_back({std::string(f[0]), internal::parse_decimal(f[3]), internal::parse_decimal(f[4])});
  });
  ROOMSIM_ASSERT_MSG(std::is_sorted(cities_.begin(), cities_.end(),
                                    [](const MeasuredCity& a, const MeasuredCity& b) { return a.name < b.name; }),
                     "netsim/data/rtt_cities.csv must be sorted by city");
  const size_t n = cities_.size();
  std::vector<uint32_t> directed_us(n * n, 0);  // row = from, as measured
  std::vector<uint8_t> measured(n * n, 0);
  internal::for_each_csv_row(internal::kRttCsv, [&](const std::vector<std::string_view>& f) {
    ROOMSIM_ASSERT_MSG(f.size() == 3, "malformed row in netsim/data/rtt.csv");
    const int a = index_of(f[0]);
    const int b = index_of(f[1]);
    ROOMSIM_ASSERT_MSG(a >= 0 && b >= 0 && a != b, "netsim/data/rtt.csv names an unknown city or a self-pair");
    const size_t at = static_cast<size_t>(a) * n + static_cast<size_t>(b);
    ROOMSIM_ASSERT_MSG(measured[at] == 0, "netsim/data/rtt.csv repeats a city pair");
    directed_us[at] = parse_rtt_us(f[2]);
    measured[at] = 1;
  });
  rtt_us_.assign(n * n, 0);
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      const size_t ab = a * n + b;
      const size_t ba = b * n + a;
      const unsigned directions = measured[ab] + measured[ba];
      if (directions == 0) continue;
      const uint32_t mean = static_cast<uint32_t>((uint64_t{directed_us[ab]} + directed_us[ba]) / directions);
      rtt_us_[ab] = mean;
      rtt_us_[ba] = mean;
      ++measured_pairs_;
    }
  }
}

const MeasuredRtt& MeasuredRtt::table() {
  static const MeasuredRtt instance;
  return instance;
}

int MeasuredRtt::index_of(std::string_view name) const {
  const auto it = std::lower_bound(cities_.begin(), cities_.end(), name,
                                   [](const MeasuredCity& c, std::string_view key) { return c.name < key; });
  if (it == cities_.end() || it->name != name) return -1;
  return static_cast<int>(it - cities_.begin());
}

int MeasuredRtt::nearest_city(double lat, double lon, int skip) const {
  int best = -1;
  double best_km = kMeasuredCityRadiusKm;
  for (size_t i = 0; i < cities_.size(); ++i) {
    if (static_cast<int>(i) == skip) continue;
    // A degree of latitude is 111 km everywhere: a cheap first cut.
    if (std::fabs(cities_[i].lat - lat) > kMeasuredCityRadiusKm / 111.0) continue;
    const double km = great_circle_km(lat, lon, cities_[i].lat, cities_[i].lon);
    if (km <= best_km && (best < 0 || km < best_km)) {
      best_km = km;
      best = static_cast<int>(i);
    }
  }
  return best;
}

int64_t MeasuredRtt::rtt_us(int a, int b) const {
  if (a < 0 || b < 0) return 0;
  const size_t n = cities_.size();
  ROOMSIM_ASSERT(static_cast<size_t>(a) < n && static_cast<size_t>(b) < n);
  return rtt_us_[static_cast<size_t>(a) * n + static_cast<size_t>(b)];
}

}  // namespace roomsim::netsim
