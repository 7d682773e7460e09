// The service keys the compose model keeps untyped (Service::other), each
// with the Engine API field it becomes. (secrets and configs are local
// content: container_spec_files.cc.) Also the watcher labels baton.restart and
// baton.readiness, which come from the spec, not from Service::other.

#include <algorithm>
#include <array>
#include <chrono>
#include <charconv>
#include <cmath>

#include "planner/labels.h"
#include "runtime/container_spec_parts.h"
#include "runtime/netd/readiness_probe.h"

namespace baton::runtime::container_spec {
namespace {

using compose::Node;
using nlohmann::json;

// Reads a canonical scalar into the JSON the engine expects, or says why not.
using Reader = Result<json> (*)(const Node& value, const std::string& where);

Error NotA(const std::string& where, const char* what) {
  return Error::Invalid(where, std::string("expected ") + what);
}

Result<json> Text(const Node& value, const std::string& where) {
  if (!value.IsScalar()) return NotA(where, "a string");
  return json(value.scalar());
}

Result<json> Boolean(const Node& value, const std::string& where) {
  if (value.IsScalar() && (value.scalar() == "true" || value.scalar() == "false"))
    return json(value.scalar() == "true");
  return NotA(where, "true or false");
}

// Integers, and byte sizes (canonical as byte counts).
Result<json> Integer(const Node& value, const std::string& where) {
  int64_t number = 0;
  const std::string& text = value.scalar();
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!value.IsScalar() || error != std::errc() || end != text.data() + text.size())
    return NotA(where, "an integer");
  return json(number);
}

Result<json> NanoCpus(const Node& value, const std::string& where) {
  double cpus = 0;
  const std::string& text = value.scalar();
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), cpus);
  if (!value.IsScalar() || error != std::errc() || end != text.data() + text.size())
    return NotA(where, "a number");
  return json(std::llround(cpus * 1e9));
}

// A scalar or a sequence of scalars, as a list.
Result<json> TextList(const Node& value, const std::string& where) {
  if (value.IsScalar()) return json::array({value.scalar()});
  json list = json::array();
  for (const Node& item : value.items()) {
    if (!item.IsScalar()) return NotA(where, "a list of strings");
    list.push_back(item.scalar());
  }
  if (!value.IsSequence()) return NotA(where, "a list of strings");
  return list;
}

struct OtherKey {
  std::string_view key;
  Reader read;
  // Where the value goes: a create-body field, or one of HostConfig's.
  const char* field;
  bool host_config;
};

// Keys not listed here are refused, so that no setting is silently lost.
constexpr auto kOtherKeys = std::to_array<OtherKey>({
    {"tty", Boolean, "Tty", false},
    {"stdin_open", Boolean, "OpenStdin", false},
    {"domainname", Text, "Domainname", false},
    {"mac_address", Text, "MacAddress", false},
    {"mem_limit", Integer, "Memory", true},
    {"mem_reservation", Integer, "MemoryReservation", true},
    {"memswap_limit", Integer, "MemorySwap", true},
    {"mem_swappiness", Integer, "MemorySwappiness", true},
    {"shm_size", Integer, "ShmSize", true},
    {"cpus", NanoCpus, "NanoCpus", true},
    {"cpu_shares", Integer, "CpuShares", true},
    {"cpu_period", Integer, "CpuPeriod", true},
    {"cpu_quota", Integer, "CpuQuota", true},
    {"cpuset", Text, "CpusetCpus", true},
    {"pids_limit", Integer, "PidsLimit", true},
    {"oom_score_adj", Integer, "OomScoreAdj", true},
    {"oom_kill_disable", Boolean, "OomKillDisable", true},
    {"security_opt", TextList, "SecurityOpt", true},
    {"group_add", TextList, "GroupAdd", true},
    {"dns_search", TextList, "DnsSearch", true},
    {"dns_opt", TextList, "DnsOptions", true},
    {"pid", Text, "PidMode", true},
    {"ipc", Text, "IpcMode", true},
    {"uts", Text, "UTSMode", true},
    {"userns_mode", Text, "UsernsMode", true},
    {"cgroup", Text, "CgroupnsMode", true},
    {"cgroup_parent", Text, "CgroupParent", true},
    {"runtime", Text, "Runtime", true},
    {"isolation", Text, "Isolation", true},
});

// Keys with no effect on the container baton creates: services reach each
// other by service name on their networks, `develop` and `attach` are for
// compose's own CLI.
constexpr std::array<std::string_view, 3> kIgnoredKeys = {"attach", "develop", "links"};

const OtherKey* FindOtherKey(std::string_view key) {
  for (const OtherKey& other : kOtherKeys)
    if (other.key == key) return &other;
  return nullptr;
}

bool Ignored(std::string_view key) {
  for (std::string_view ignored : kIgnoredKeys)
    if (ignored == key) return true;
  return false;
}

// A deploy.resources limit, already set, wins over the legacy key.
bool AlreadySet(const ContainerSpec& spec, const json& host_config, const OtherKey& other) {
  std::string_view field = other.field;
  if (field == "Memory") return spec.host_config.memory_bytes != 0;
  if (field == "NanoCpus") return spec.host_config.nano_cpus != 0;
  return other.host_config && host_config.contains(other.field);
}

// The limits ContainerSpec types go to their typed fields.
void Store(const OtherKey& other, json value, ContainerSpec& spec) {
  std::string_view field = other.field;
  if (field == "Memory")
    spec.host_config.memory_bytes = value.get<int64_t>();
  else if (field == "NanoCpus")
    spec.host_config.nano_cpus = value.get<int64_t>();
  else if (other.host_config)
    spec.extra["HostConfig"][other.field] = std::move(value);
  else
    spec.extra[other.field] = std::move(value);
}

Status AddOtherKey(const SpecInput& in, const compose::MapEntry& entry, ContainerSpec& spec) {
  std::string where = in.Where(entry.key);
  if (Ignored(entry.key) || entry.value.IsNull()) return Status::Ok();
  const OtherKey* other = FindOtherKey(entry.key);
  if (other == nullptr) return Error::Invalid(where, entry.key + " is not supported yet");
  Result<json> value = other->read(entry.value, where);
  if (!value.ok()) return std::move(value).error();
  const json host_config = spec.extra.value("HostConfig", json::object());
  if (AlreadySet(spec, host_config, *other)) return Status::Ok();
  Store(*other, std::move(*value), spec);
  return Status::Ok();
}

std::chrono::milliseconds Millis(const std::optional<compose::Duration>& value,
                                 std::chrono::milliseconds fallback) {
  if (!value || value->count() <= 0) return fallback;
  return std::max(std::chrono::milliseconds(1),
                  std::chrono::duration_cast<std::chrono::milliseconds>(*value));
}

// The watcher's inputs that the engine does not keep in a form it can read
// back: the restart policy as written (the watcher sets the engine's to "no"
// while it takes a crash loop over), and the readiness probe netd runs. No
// restart policy writes no label: a reader takes a missing one as "", which
// keeps replicas made before the label the same as new ones.
void AddWatcherLabels(const SpecInput& in, ContainerSpec& spec) {
  if (!in.spec.restart.empty()) spec.labels[planner::labels::kRestart] = in.spec.restart;
  if (!in.spec.readiness) return;
  const compose::Healthcheck& check = *in.spec.readiness;
  netd::ReadinessSpec probe;
  probe.test = check.test;
  probe.interval = Millis(check.interval, probe.interval);
  probe.timeout = Millis(check.timeout, probe.timeout);
  probe.start_period = Millis(check.start_period, probe.start_period);
  if (check.retries && *check.retries > 0)
    probe.retries = static_cast<int>(std::min<uint64_t>(*check.retries, 1000));
  spec.labels[planner::labels::kReadiness] = netd::ReadinessLabel(probe);
}

}  // namespace

Status AddOtherKeys(const SpecInput& in, ContainerSpec& spec) {
  for (const compose::MapEntry& entry : in.service.other.entries())
    if (Status s = AddOtherKey(in, entry, spec); !s.ok()) return s;
  AddWatcherLabels(in, spec);
  return Status::Ok();
}

}  // namespace baton::runtime::container_spec
