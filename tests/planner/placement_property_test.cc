// Properties of Place over many random inputs. Each input comes from a fixed
// seed, so a failure names the seed that reproduces it.

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>

#include "planner/constraint_match.h"
#include "planner/placement.h"
#include "planner/placement_ranking.h"
#include "planner/placement_stack.h"
#include "tests/planner/placement_fixture.h"
#include "tests/planner/placement_random.h"

namespace baton::planner {
namespace {

using namespace testing;

constexpr int kSeeds = 300;

const ServiceSpec& SpecOf(const DesiredState& desired, const std::string& name) {
  for (const ServiceSpec& spec : desired.services)
    if (spec.name == name) return spec;
  FAIL("no service " << name);
  return desired.services.front();
}

bool Collide(const PublishedPort& a, const PublishedPort& b) {
  return a.port == b.port && a.protocol == b.protocol &&
         (a.host_ip.empty() || b.host_ip.empty() || a.host_ip == b.host_ip);
}

// The first broken rule, or "" when the placement keeps every rule.
std::string HostRuleBroken(const Case& c, const Assignment& a) {
  const HostState& host = *c.actual.FindHost(a.host);
  const ServiceSpec& spec = SpecOf(c.desired, a.service);
  if (!host.reachable) return a.container_name + " on unreachable " + host.name;
  for (const Constraint& constraint : spec.constraints)
    if (!MatchesConstraint(constraint, host))
      return a.container_name + " on " + host.name + " breaks " + constraint.text;
  for (const PublishedPort& port : spec.published_ports)
    if (host.ports_used_elsewhere.count({port.protocol, port.port}))
      return a.container_name + " on " + host.name + " takes a port in use";
  return "";
}

std::string SharedRuleBroken(const Case& c, const Placement& p) {
  std::map<std::string, std::vector<const Assignment*>> by_host;
  for (const Assignment& a : p.assignments) by_host[a.host].push_back(&a);
  for (const auto& [name, assignments] : by_host) {
    const HostState& host = *c.actual.FindHost(name);
    double cpus = 0;
    int64_t memory = 0;
    std::map<std::string, uint64_t> count;
    std::vector<PublishedPort> ports;
    for (const Assignment* a : assignments) {
      const ServiceSpec& spec = SpecOf(c.desired, a->service);
      cpus += spec.reserved_cpus;
      memory += spec.reserved_memory;
      if (++count[spec.name] > spec.max_replicas_per_node.value_or(UINT64_MAX))
        return name + " runs too many " + spec.name;
      for (const PublishedPort& port : spec.published_ports) {
        for (const PublishedPort& used : ports)
          if (Collide(port, used))
            return name + " publishes port " + std::to_string(port.port) + " twice";
        ports.push_back(port);
      }
    }
    if (host.cpus > 0 && cpus > host.cpus - host.reserved_cpus_elsewhere + 1e-9)
      return name + " has too many cpus reserved";
    if (host.memory > 0 && memory > host.memory - host.reserved_memory_elsewhere)
      return name + " has too much memory reserved";
    for (const Assignment* a : assignments) {
      const ServiceSpec& spec = SpecOf(c.desired, a->service);
      for (const std::string& other : spec.affinity)
        if (!count.count(other)) return a->container_name + " on " + name + " without " + other;
      for (const std::string& other : spec.anti_affinity)
        if (count.count(other)) return a->container_name + " on " + name + " with " + other;
    }
  }
  return "";
}

// Every wanted slot is either placed or unplaced, once; a global service
// runs at most once per host.
std::string SlotRuleBroken(const Case& c, const Placement& p) {
  std::map<std::string, std::set<int>> slots;
  std::set<std::pair<std::string, std::string>> global_hosts;
  for (const Assignment& a : p.assignments) {
    if (!slots[a.service].insert(a.slot).second) return a.container_name + " placed twice";
    if (SpecOf(c.desired, a.service).global && !global_hosts.insert({a.service, a.host}).second)
      return a.service + " twice on " + a.host;
  }
  for (const Unplaced& u : p.unplaced)
    if (!slots[u.service].insert(u.slot).second) return u.service + " slot placed and unplaced";
  for (const ServiceSpec& spec : c.desired.services) {
    if (spec.global) continue;
    std::set<int> want;
    for (int slot = 1; slot <= spec.replicas; ++slot) want.insert(slot);
    if (slots[spec.name] != want) return spec.name + " has the wrong slots";
  }
  return "";
}

std::string Unplaced(const Placement& p) {
  std::string out;
  for (const auto& u : p.unplaced) out += u.service + "-" + std::to_string(u.slot) + " ";
  return out;
}

TEST_CASE("placement property: constraints, capacity, ports and affinity hold",
          "[planner][placement]") {
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    Placement p = Place(c.desired, c.actual);
    for (const Assignment& a : p.assignments) REQUIRE(HostRuleBroken(c, a) == "");
    REQUIRE(SharedRuleBroken(c, p) == "");
  }
}

TEST_CASE("placement property: every wanted slot is placed or explained once",
          "[planner][placement]") {
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    Placement p = Place(c.desired, c.actual);
    REQUIRE(SlotRuleBroken(c, p) == "");
    for (const auto& u : p.unplaced) REQUIRE(u.reason.rfind("0/", 0) == 0);
  }
}

TEST_CASE("placement property: the same input gives the same placement", "[planner][placement]") {
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    Placement first = Place(c.desired, c.actual);
    Placement second = Place(c.desired, c.actual);
    REQUIRE(Where(first) == Where(second));
    REQUIRE(first.unplaced.size() == second.unplaced.size());
    for (size_t i = 0; i < first.unplaced.size(); ++i)
      REQUIRE(first.unplaced[i].reason == second.unplaced[i].reason);
  }
}

TEST_CASE("placement property: re-planning a placement moves nothing", "[planner][placement]") {
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    Placement first = Place(c.desired, c.actual);
    ActualState applied = Applied(c.desired, c.actual, first);
    Placement second = Place(c.desired, applied);
    REQUIRE(Where(second) == Where(first));
    REQUIRE(Unplaced(second) == Unplaced(first));
  }
}

// The replicas of other hosts stay put, whether the host leaves the hosts
// file or stops answering.
TEST_CASE("placement property: losing a host moves only that host's replicas",
          "[planner][placement]") {
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    Placement first = Place(c.desired, c.actual);
    ActualState applied = Applied(c.desired, c.actual, first);
    size_t lost = Random(seed).Below(applied.hosts.size());
    const std::string lost_name = applied.hosts[lost].name;
    ActualState removed = applied;
    removed.hosts.erase(removed.hosts.begin() + lost);
    ActualState unreachable = applied;
    unreachable.hosts[lost].reachable = false;
    for (const ActualState& after : {removed, unreachable}) {
      std::string kept = Where(Place(c.desired, after));
      for (const Assignment& a : first.assignments) {
        if (a.host == lost_name) continue;
        std::string where = a.service + "-" + std::to_string(a.slot) + "@" + a.host;
        INFO(where << " in " << kept);
        REQUIRE((" " + kept + " ").find(" " + where + " ") != std::string::npos);
      }
    }
  }
}

// The host with the best scores, scorer by scorer, then the lowest index:
// what HostRanking must pick, found by scoring every host.
size_t BestByScanning(const PlacementStack& stack, const PlacementRequest& request,
                      const std::vector<size_t>& hosts) {
  std::vector<std::vector<double>> keys(hosts.size());
  std::vector<double> scores(hosts.size());
  for (const auto& scorer : stack.scorers) {
    scorer->Score(request, hosts, scores);
    for (size_t i = 0; i < hosts.size(); ++i) keys[i].push_back(scores[i]);
  }
  size_t best = 0;
  for (size_t i = 1; i < hosts.size(); ++i)
    if (keys[best] < keys[i]) best = i;
  return hosts[best];
}

TEST_CASE("placement property: the ranking picks the host scoring every host would",
          "[planner][placement]") {
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    for (ServiceSpec& spec : c.desired.services)
      spec.spread = {"node.labels.zone", "node.labels.disk"};
    PlacementInput input(c.desired, c.actual);
    PlacementTally tally(input);
    for (size_t s = 0; s < c.desired.services.size(); ++s) {
      PlacementStack stack = MakePlacementStack(input.service(s), input.facts(s));
      PlacementRequest request{input, tally, s, 1, std::nullopt};
      std::vector<size_t> hosts;
      for (size_t h = 0; h < input.host_count(); ++h)
        if (h % 3 != 1) hosts.push_back(h);
      HostRanking ranking(stack, request, hosts);
      for (int replica = 0; replica < 12 && !hosts.empty(); ++replica) {
        size_t want = BestByScanning(stack, request, hosts);
        REQUIRE(ranking.Best(request) == want);
        tally.Add(s, want);
        if (replica % 4 == 3) {
          ranking.Drop(want);
          std::erase(hosts, want);
        }
      }
    }
  }
}

}  // namespace
}  // namespace baton::planner
