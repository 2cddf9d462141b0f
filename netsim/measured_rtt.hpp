// netsim/measured_rtt.hpp: the measured city-to-city round-trip times behind
// the default latency model (netsim/data/rtt.csv and rtt_cities.csv, WonderProxy
// pings of 2020-07-19/20, embedded in the library at build time; sources in
// netsim/data/README.md).
//
// Guarantees: the table is built once per process from the embedded text only,
// RTTs read as integer microseconds (no floating-point parsing), so every
// lookup is a pure function of the binary. A pair measured in both directions
// holds the mean of the two (rounded down to a microsecond): the table is
// symmetric. The embedded files are fixed; a malformed row stops the process
// with an assertion (the calibration test counts the rows).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace roomsim::netsim {

// A region uses a measured city's RTTs when the city is at most this far away.
inline constexpr double kMeasuredCityRadiusKm = 100.0;

struct MeasuredCity {
  std::string name;
  double lat = 0;
  double lon = 0;
};

class MeasuredRtt {
 public:
  // The process-wide table (built on first use).
  static const MeasuredRtt& table();

  const std::vector<MeasuredCity>& cities() const { return cities_; }
  // Index of a city by its name in rtt_cities.csv, or -1.
  int index_of(std::string_view name) const;
  // The measured city nearest to (lat, lon) within kMeasuredCityRadiusKm, or
  // -1. Ties: lowest index. City `skip` (or none, -1) is never returned: the
  // calibration test's leave-one-city-out check uses it.
  int nearest_city(double lat, double lon, int skip = -1) const;
  // Round-trip time between two cities in microseconds; 0 when the pair was
  // not measured or a == b.
  int64_t rtt_us(int a, int b) const;
  // Number of city pairs (unordered) with a measurement.
  size_t measured_pairs() const { return measured_pairs_; }

 private:
  MeasuredRtt();

  std::vector<MeasuredCity> cities_;
  std::vector<uint32_t> rtt_us_;  // cities^2, row = from; 0 = not measured
  size_t measured_pairs_ = 0;
};

}  // namespace roomsim::netsim
