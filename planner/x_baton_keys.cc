// readiness reuses compose's own healthcheck rules (canonical test form, Go
// durations) so that the two keys can never read the same text differently.

#include "planner/x_baton_keys.h"

#include <array>
#include <string>
#include <string_view>

#include "compose/canonical_rules.h"
#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"
#include "compose/scalar.h"

namespace baton::planner {
namespace {

using compose::MapEntry;
using compose::Mark;
using compose::ModelPath;
using compose::Node;

constexpr int kMaxReplicas = 256;
constexpr std::array<std::string_view, 5> kReadinessKeys = {"test", "interval", "timeout",
                                                            "retries", "start_period"};
constexpr std::array<std::string_view, 4> kAutoscaleKeys = {"min", "max", "cpu", "stabilization"};

const Mark& BestMark(const Node& node, const Mark& fallback) {
  return node.mark().file && node.mark().line > 0 ? node.mark() : fallback;
}

// "test, interval, timeout, retries or start_period"
template <size_t N>
std::string KeyList(const std::array<std::string_view, N>& keys) {
  std::string text;
  for (size_t i = 0; i < N; ++i)
    text += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(keys[i]);
  return text;
}

// A mapping of only `keys`, each located when it is not.
template <size_t N>
Status CheckMapping(const Node& value, const Mark& key_mark, const ModelPath& at,
                    const std::array<std::string_view, N>& keys) {
  if (!value.IsMapping())
    return Error::Invalid(compose::Where(BestMark(value, key_mark), at),
                          "must be a mapping, got " + std::string(value.KindName()));
  for (const MapEntry& entry : value.entries()) {
    bool known = false;
    for (std::string_view key : keys) known = known || key == entry.key;
    if (!known)
      return Error::Invalid(compose::Where(entry.key_mark, at.Key(entry.key)),
                            "unknown key \"" + entry.key + "\", expected " + KeyList(keys));
  }
  return Status::Ok();
}

Error Missing(const Node& value, const Mark& key_mark, const ModelPath& at, const char* key) {
  return Error::Invalid(compose::Where(BestMark(value, key_mark), at),
                        std::string("missing key \"") + key + "\"");
}

// A probe must run something: NONE (or an empty list) would mean "no check".
Status CheckRunsCommand(const Node& test, const Mark& key_mark, const ModelPath& at) {
  if (test.IsSequence() && !test.items().empty() && test.items()[0].scalar() != "NONE" &&
      test.items().size() > 1)
    return Status::Ok();
  return Error::Invalid(compose::Where(BestMark(test, key_mark), at),
                        "must run a command: [\"CMD\", ...] or [\"CMD-SHELL\", script]");
}

Result<int> ReadCount(const Node& node, const Mark& key_mark, const ModelPath& at) {
  Node copy = node;
  if (!copy.mark().file) copy.set_mark(key_mark);
  auto value = compose::normalise::ReadInt32(copy, at, "count");
  if (!value.ok()) return std::move(value).error();
  if (*value < 1 || *value > kMaxReplicas)
    return Error::Invalid(compose::Where(copy, at), "must be between 1 and 256");
  return *value;
}

std::optional<double> BaseCpus(const compose::Service& service) {
  if (!service.deploy) return std::nullopt;
  if (service.deploy->reservations && service.deploy->reservations->cpus > 0)
    return service.deploy->reservations->cpus;
  if (service.deploy->limits && service.deploy->limits->cpus > 0)
    return service.deploy->limits->cpus;
  return std::nullopt;
}

// min and max, each optional in the node; max is required.
Status ReadBounds(const Node& value, const Mark& key_mark, const ModelPath& at,
                  AutoscalePolicy& policy) {
  if (const MapEntry* min = value.FindEntry("min")) {
    auto read = ReadCount(min->value, min->key_mark, at.Key("min"));
    if (!read.ok()) return std::move(read).error();
    policy.min = *read;
  }
  const MapEntry* max = value.FindEntry("max");
  if (!max) return Missing(value, key_mark, at, "max");
  auto read = ReadCount(max->value, max->key_mark, at.Key("max"));
  if (!read.ok()) return std::move(read).error();
  policy.max = *read;
  if (policy.max < policy.min)
    return Error::Invalid(compose::Where(BestMark(max->value, max->key_mark), at.Key("max")),
                          "must be at least min (" + std::to_string(policy.min) + ")");
  return Status::Ok();
}

Status ReadTarget(const compose::Service& service, const Node& value, const Mark& key_mark,
                  const ModelPath& at, AutoscalePolicy& policy) {
  const MapEntry* cpu = value.FindEntry("cpu");
  if (!cpu) return Missing(value, key_mark, at, "cpu");
  Node copy = cpu->value;
  if (!copy.mark().file) copy.set_mark(cpu->key_mark);
  auto percent = compose::normalise::ReadDouble(copy, at.Key("cpu"));
  if (!percent.ok()) return std::move(percent).error();
  if (!(*percent > 0))
    return Error::Invalid(compose::Where(copy, at.Key("cpu")), "must be greater than 0");
  std::optional<double> base = BaseCpus(service);
  if (!base)
    return Error::Invalid(compose::Where(copy, at.Key("cpu")),
                          "needs deploy.resources.reservations.cpus or limits.cpus, the share "
                          "the percentage is of");
  policy.cpu_percent = *percent;
  policy.base_cpus = *base;
  return Status::Ok();
}

}  // namespace

Result<compose::Healthcheck> ReadReadiness(const Node& value, const Mark& key_mark,
                                           const ModelPath& at) {
  if (Status s = CheckMapping(value, key_mark, at, kReadinessKeys); !s.ok())
    return std::move(s).error();
  Node copy = value;
  Node* test = copy.Find("test");
  if (!test) return Missing(value, key_mark, at, "test");
  if (Status s = compose::canonical::HealthcheckTest(*test, at.Key("test")); !s.ok())
    return std::move(s).error();
  if (Status s = CheckRunsCommand(*test, copy.FindEntry("test")->key_mark, at.Key("test")); !s.ok())
    return std::move(s).error();
  compose::Service read;
  if (Status s = compose::normalise::ReadHealthcheck(copy, at, read); !s.ok())
    return std::move(s).error();
  return std::move(*read.healthcheck);
}

Result<AutoscalePolicy> ReadAutoscale(const compose::Service& service, const Node& value,
                                      const Mark& key_mark, const ModelPath& at) {
  if (Status s = CheckMapping(value, key_mark, at, kAutoscaleKeys); !s.ok())
    return std::move(s).error();
  AutoscalePolicy policy;
  if (Status s = ReadBounds(value, key_mark, at, policy); !s.ok()) return std::move(s).error();
  if (Status s = ReadTarget(service, value, key_mark, at, policy); !s.ok())
    return std::move(s).error();
  if (const MapEntry* window = value.FindEntry("stabilization")) {
    Node copy = window->value;
    if (!copy.mark().file) copy.set_mark(window->key_mark);
    auto read = compose::normalise::ReadDuration(copy, at.Key("stabilization"));
    if (!read.ok()) return std::move(read).error();
    policy.stabilization = std::chrono::duration_cast<std::chrono::milliseconds>(*read);
  }
  return policy;
}

std::optional<Node> ReadinessHashNode(const compose::Service& service) {
  const Node* extension = service.extensions.Find("x-baton");
  const Node* value = extension && extension->IsMapping() ? extension->Find("readiness") : nullptr;
  if (!value) return std::nullopt;
  auto check = ReadReadiness(*value, Mark{}, ModelPath());
  if (!check.ok()) return *value;
  Node node = Node::Mapping();
  Node test = Node::Sequence();
  for (const std::string& word : check->test) test.Append(Node::Scalar(word));
  node.Set("test", std::move(test));
  auto put = [&](const char* key, const std::optional<compose::Duration>& d) {
    if (d) node.Set(key, Node::Scalar(compose::FormatDuration(*d)));
  };
  put("interval", check->interval);
  put("timeout", check->timeout);
  put("start_period", check->start_period);
  if (check->retries) node.Set("retries", Node::Scalar(std::to_string(*check->retries), false));
  return node;
}

}  // namespace baton::planner
