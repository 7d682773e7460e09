#include "runtime/dns/lookup.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace baton::dns {
namespace {

enum class Match { kNone, kKnown, kReady };

bool SameText(std::string_view lower, std::string_view candidate) {
  if (!candidate.empty() && candidate.back() == '.') candidate.remove_suffix(1);
  if (candidate.empty() || candidate.size() != lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    char c = candidate[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool NamesService(std::string_view lower, const Endpoint& e) {
  if (e.service.empty()) return false;
  constexpr std::string_view kTasks = "tasks.";
  if (lower.starts_with(kTasks) && SameText(lower.substr(kTasks.size()), e.service)) return true;
  return SameText(lower, e.service);
}

// A container name answers even when the container is not ready, so that it
// can be reached while its healthcheck still fails; the other names only give
// ready replicas.
Match MatchAddress(std::string_view lower, const Endpoint& e) {
  if (SameText(lower, e.container)) return Match::kReady;
  bool named = NamesService(lower, e) ||
               std::any_of(e.aliases.begin(), e.aliases.end(),
                           [&](const std::string& alias) { return SameText(lower, alias); });
  if (!named) return Match::kNone;
  return e.ready ? Match::kReady : Match::kKnown;
}

Match MatchService(std::string_view lower_service, const Endpoint& e) {
  if (e.service.empty() || !SameText(lower_service, e.service)) return Match::kNone;
  return e.ready ? Match::kReady : Match::kKnown;
}

// The query comes from the asker's address on one network (the one whose
// gateway it asked), but the container is on all of its networks: so the
// networks of every endpoint of the same container count too.
std::set<std::string_view> AskerNetworks(uint32_t asker, const std::vector<Endpoint>& endpoints) {
  std::set<std::string_view> networks;
  std::set<std::string_view> containers;
  for (const Endpoint& e : endpoints) {
    if (e.ipv4 != asker) continue;
    networks.insert(e.network);
    if (!e.container.empty()) containers.insert(e.container);
  }
  for (const Endpoint& e : endpoints) {
    if (containers.contains(e.container)) networks.insert(e.network);
  }
  return networks;
}

// Parses `_<port>._<tcp|udp>.<rest>`: the port, and the rest as lower-case text.
std::optional<std::pair<uint16_t, std::string>> ParseServiceName(const Labels& name) {
  if (name.size() < 3) return std::nullopt;
  std::string_view port = name[0];
  if (port.size() < 2 || port.size() > 6 || port[0] != '_' || port[1] == '0') return std::nullopt;
  uint32_t value = 0;
  for (char c : port.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  auto proto = LowerDotted({name[1]});
  if (value > 65535 || !proto || (*proto != "_tcp" && *proto != "_udp")) return std::nullopt;
  auto rest = LowerDotted(Labels(name.begin() + 2, name.end()));
  if (!rest) return std::nullopt;
  return std::make_pair(static_cast<uint16_t>(value), std::move(*rest));
}

// Keeps one endpoint per container (the one on the first network by name),
// ordered by address.
std::vector<const Endpoint*> OnePerReplica(const std::vector<const Endpoint*>& matches) {
  std::map<std::string_view, const Endpoint*> by_container;
  std::vector<const Endpoint*> replicas;
  for (const Endpoint* e : matches) {
    if (e->container.empty()) {
      replicas.push_back(e);  // nothing tells its other networks' endpoints apart: keep each
      continue;
    }
    auto [it, inserted] = by_container.emplace(e->container, e);
    if (!inserted && e->network < it->second->network) it->second = e;
  }
  for (const auto& [container, e] : by_container) replicas.push_back(e);
  std::sort(replicas.begin(), replicas.end(), [](const Endpoint* a, const Endpoint* b) {
    return a->ipv4 != b->ipv4 ? a->ipv4 < b->ipv4 : a->container < b->container;
  });
  return replicas;
}

template <typename Matcher>
std::optional<std::vector<const Endpoint*>> Collect(uint32_t asker,
                                                    const std::vector<Endpoint>& endpoints,
                                                    Matcher match) {
  std::set<std::string_view> networks = AskerNetworks(asker, endpoints);
  bool known = false;
  std::vector<const Endpoint*> ready;
  for (const Endpoint& e : endpoints) {
    if (!networks.contains(e.network)) continue;
    Match m = match(e);
    known = known || m != Match::kNone;
    if (m == Match::kReady) ready.push_back(&e);
  }
  if (!known) return std::nullopt;
  return OnePerReplica(ready);
}

}  // namespace

Lookup Find(const Labels& name, uint32_t asker, const std::vector<Endpoint>& endpoints) {
  Lookup lookup;
  if (auto service = ParseServiceName(name)) {
    auto replicas = Collect(asker, endpoints,
                            [&](const Endpoint& e) { return MatchService(service->second, e); });
    if (replicas) {
      lookup.kind = Lookup::Kind::kService;
      lookup.port = service->first;
      lookup.replicas = std::move(*replicas);
      return lookup;
    }
  }
  std::optional<std::string> lower = LowerDotted(name);
  if (!lower || lower->empty()) return lookup;
  auto replicas =
      Collect(asker, endpoints, [&](const Endpoint& e) { return MatchAddress(*lower, e); });
  if (replicas) {
    lookup.kind = Lookup::Kind::kAddress;
    lookup.replicas = std::move(*replicas);
  }
  return lookup;
}

}  // namespace baton::dns
