#pragma once
// The one line that says why a replica fits nowhere:
// "0/3 hosts: 2 lack memory (need 2 GiB, free 1.1 GiB), 1 does not match node.labels.zone==eu".
// Internal to the planner.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "planner/placement_stack.h"

namespace baton::planner {

// A rejection whose text does not vary between hosts; `group` is `many`.
Rejection MakeRejection(std::string one, std::string many);

// One rejection per host of `host_count`, grouped by Rejection::group, most
// hosts first, then by text.
std::string UnplacedReason(size_t host_count, const std::vector<Rejection>& rejections);

// Rounding for amounts shown beside a need: a free amount is rounded down
// and a need up, so the text never shows a need that looks as if it fits.
enum class Rounding { kDown, kUp };

// Binary units to one decimal, ".0" dropped: "2 GiB", "1.1 GiB", "512 MiB",
// "100 B". Negative amounts show as 0.
std::string FormatBytes(int64_t bytes, Rounding rounding);

// CPUs to two decimals, trailing zeros dropped: "2", "0.5", "1.25".
std::string FormatCpus(double cpus, Rounding rounding);

}  // namespace baton::planner
