// The unplaced line and its number formats, declared in placement_reason.h.

#include "planner/placement_reason.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

namespace baton::planner {
namespace {

struct Group {
  size_t count = 0;
  const Rejection* shown = nullptr;  // the member with the highest rank
};

// `value` to `decimals` places, rounded as asked. The small epsilon keeps a
// binary fraction just under a decimal one (1.1 GiB in bytes is 1.0999...)
// from losing a digit.
std::string Decimal(double value, int decimals, Rounding rounding) {
  double scale = std::pow(10.0, decimals);
  double scaled = rounding == Rounding::kDown ? std::floor(value * scale + 1e-6)
                                              : std::ceil(value * scale - 1e-6);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::max(0.0, scaled / scale));
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

}  // namespace

Rejection MakeRejection(std::string one, std::string many) {
  Rejection rejection{std::move(one), std::move(many), "", 0};
  rejection.group = rejection.many;
  return rejection;
}

std::string UnplacedReason(size_t host_count, const std::vector<Rejection>& rejections) {
  std::map<std::string, Group> groups;
  for (const Rejection& rejection : rejections) {
    Group& group = groups[rejection.group];
    ++group.count;
    if (!group.shown || rejection.rank > group.shown->rank) group.shown = &rejection;
  }
  std::vector<std::pair<size_t, std::string>> parts;
  for (const auto& [key, group] : groups) {
    const Rejection& shown = *group.shown;
    parts.emplace_back(group.count, group.count == 1 ? shown.one : shown.many);
  }
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) {
    return std::tie(b.first, a.second) < std::tie(a.first, b.second);
  });
  std::string line = "0/" + std::to_string(host_count) + " hosts";
  for (size_t i = 0; i < parts.size(); ++i)
    line += (i == 0 ? ": " : ", ") + std::to_string(parts[i].first) + " " + parts[i].second;
  return line;
}

std::string FormatBytes(int64_t bytes, Rounding rounding) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = std::max<int64_t>(bytes, 0);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return Decimal(value, unit == 0 ? 0 : 1, rounding) + " " + kUnits[unit];
}

std::string FormatCpus(double cpus, Rounding rounding) { return Decimal(cpus, 2, rounding); }

}  // namespace baton::planner
