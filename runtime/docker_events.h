#pragma once
// The engine's event stream (GET /events).

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/docker_query.h"

namespace baton::runtime {

struct EventsOptions {
  // Unix seconds ("1700000000"), RFC 3339, or a duration before now ("10m").
  // Empty `since`: only events from now on. Empty `until`: stream without end.
  std::string since;
  std::string until;
  // {"type": {"container"}, "label": {"baton.project=shop"}, "event": {"die"}}.
  Filters filters;
};

struct DockerEvent {
  std::string type;    // "container", "image", "network", "volume", "daemon", ...
  std::string action;  // "create", "start", "die", "health_status: healthy", ...
  std::string actor_id;
  std::map<std::string, std::string> attributes;  // name, image, labels, exitCode, ...
  std::string scope;                              // "local"
  std::int64_t time_nano = 0;                     // unix nanoseconds
  nlohmann::json raw;
};

}  // namespace baton::runtime
