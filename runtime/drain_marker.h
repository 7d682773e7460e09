#pragma once
// The drained-host marker (`baton hosts drain HOST`, design 3.5): a
// never-started container named "baton-drain" (labels::kDrainContainer) from
// the lock image, with baton.role=drain, baton.drained-by and
// baton.drained-since. ObserveProject reports its presence as
// HostState::drained; placement then puts nothing there and moves what runs
// there. It is per host, for every project.

#include <string>

#include "base/result.h"

namespace baton::runtime {

class DockerClient;

// Creates the marker (loading the lock image when the engine lacks it). Ok
// when the host is already drained (the first marker, and its `by`, stay).
Status MarkDrained(DockerClient& docker, const std::string& by);

// Removes the marker. Ok when the host is not drained. Nothing moves back by
// itself: placement keeps running replicas where they are.
Status Activate(DockerClient& docker);

// Whether the marker exists.
Result<bool> IsDrained(DockerClient& docker);

// Who drained the host and since when, for `baton hosts`: {"alice@laptop pid 4",
// "2026-11-29T05:07:13Z"}; kNotFound when the host is not drained.
struct DrainInfo {
  std::string by;
  std::string since;  // RFC 3339
};
Result<DrainInfo> ReadDrain(DockerClient& docker);

}  // namespace baton::runtime
