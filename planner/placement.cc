// Place, declared in placement.h.
//
// Two passes over the services, each in PlacementOrder. The first keeps every
// existing replica of a wanted slot on its host when the host is reachable
// and every filter still accepts it there; the second places the slots left.
// Keeping everything first is what makes a re-plan stable: a new replica can
// never push out one that already runs.

#include "planner/placement.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "planner/placement_filters.h"
#include "planner/placement_order.h"
#include "planner/placement_ranking.h"
#include "planner/placement_reason.h"
#include "planner/placement_stack.h"

namespace baton::planner {
namespace {

// A container of the project on a reachable host.
struct Existing {
  int slot = 0;
  size_t host = 0;
  bool running = false;
  bool current = false;  // has the desired spec hash
  bool owner = false;    // the host the record places this slot on (PlacementHints::owner)
};

// When two containers claim one slot (a host came back after its slot was
// placed elsewhere), the recorded owner's wins: the watcher moved the slot
// and wrote so before the old host returned, so the returning copy is the
// stale one, whatever its state. Then the running one with the current
// spec, then the first in hosts-file order.
bool Preferred(const Existing& a, const Existing& b) {
  return std::make_tuple(a.slot, !a.owner, !a.running, !a.current, a.host) <
         std::make_tuple(b.slot, !b.owner, !b.running, !b.current, b.host);
}

class Placer {
 public:
  Placer(const DesiredState& desired, const ActualState& actual, const PlacementHints& hints);
  Placement Run();

 private:
  void ReadExisting();
  void KeepExisting(size_t service);
  void PlaceReplicated(size_t service);
  void PlaceGlobal(size_t service);
  void Add(size_t service, int slot, size_t host);

  PlacementRequest Request(size_t service, int slot) const;
  bool Fits(const PlacementRequest& request, size_t host, bool tally_only) const;
  std::vector<size_t> Candidates(const PlacementRequest& request) const;
  std::string Explain(const PlacementRequest& request) const;
  Placement Collect() const;

  PlacementInput input_;
  PlacementTally tally_;
  std::vector<PlacementStack> stacks_;            // per service
  std::vector<std::vector<Existing>> existing_;   // per service, by Preferred
  std::vector<std::set<int>> unreachable_slots_;  // per service
  std::vector<std::map<int, size_t>> chosen_;     // per service: slot -> host
  std::vector<Unplaced> unplaced_;
};

Placer::Placer(const DesiredState& desired, const ActualState& actual,
               const PlacementHints& hints)
    : input_(desired, actual, hints),
      tally_(input_),
      existing_(desired.services.size()),
      unreachable_slots_(desired.services.size()),
      chosen_(desired.services.size()) {
  for (size_t s = 0; s < desired.services.size(); ++s)
    stacks_.push_back(MakePlacementStack(input_.service(s), input_.facts(s)));
  ReadExisting();
}

Placement Placer::Run() {
  std::vector<size_t> order = PlacementOrder(input_);
  for (size_t s : order) KeepExisting(s);
  for (size_t s : order) {
    if (input_.service(s).global)
      PlaceGlobal(s);
    else
      PlaceReplicated(s);
  }
  return Collect();
}

void Placer::ReadExisting() {
  std::map<std::string, size_t> index;
  for (size_t s = 0; s < input_.desired().services.size(); ++s) index[input_.service(s).name] = s;
  for (size_t h = 0; h < input_.host_count(); ++h) {
    const HostState& host = input_.host(h);
    for (const ActualContainer& container : host.containers) {
      auto it = index.find(container.service);
      if (it == index.end() || container.slot < 1) continue;
      if (!host.reachable) {
        unreachable_slots_[it->second].insert(container.slot);
        continue;
      }
      bool current = container.spec_hash == input_.service(it->second).spec_hash;
      auto owner = input_.hints().owner.find({container.service, container.slot});
      bool owned = owner != input_.hints().owner.end() && owner->second == host.name;
      existing_[it->second].push_back({container.slot, h, container.running(), current, owned});
    }
  }
  for (std::vector<Existing>& list : existing_) std::sort(list.begin(), list.end(), Preferred);
}

void Placer::KeepExisting(size_t service) {
  const ServiceSpec& spec = input_.service(service);
  for (const Existing& e : existing_[service]) {
    if (!spec.global && e.slot > spec.replicas) continue;
    if (chosen_[service].count(e.slot)) continue;
    if (spec.global && tally_.replicas(service, e.host) > 0) continue;
    if (Fits(Request(service, e.slot), e.host, false)) Add(service, e.slot, e.host);
  }
}

// The filters judge every host once for the service; after each replica
// only the host that took it can change its verdict, so only it is judged
// again (Filter::Keep reads the tally only at the host it judges). A slot
// whose container sits on a host that can still take it goes back there:
// staying put outranks every scorer.
void Placer::PlaceReplicated(size_t service) {
  std::vector<int> missing;
  for (int slot = 1; slot <= input_.service(service).replicas; ++slot)
    if (!chosen_[service].count(slot)) missing.push_back(slot);
  if (missing.empty()) return;
  HostRanking ranking(stacks_[service], Request(service, 0), Candidates(Request(service, 0)));
  for (size_t i = 0; i < missing.size(); ++i) {
    if (ranking.empty()) {
      // Nothing changes between the slots left, so they share one reason.
      std::string reason = Explain(Request(service, 0));
      for (; i < missing.size(); ++i)
        unplaced_.push_back({input_.service(service).name, missing[i], reason});
      return;
    }
    PlacementRequest request = Request(service, missing[i]);
    std::optional<size_t> stay = request.current_host;
    size_t host = stay && ranking.contains(*stay) ? *stay : ranking.Best(request);
    Add(service, missing[i], host);
    if (!Fits(request, host, true)) ranking.Drop(host);
  }
}

// One replica on each host that passes every filter. Existing replicas kept
// their slots; new ones take the lowest slots free, never one a container on
// an unreachable host may still hold. A host that fails a filter is simply
// not one of the service's hosts; only a service that fits no host at all
// is reported, as unplaced slot 1.
void Placer::PlaceGlobal(size_t service) {
  std::set<int> used = unreachable_slots_[service];
  for (const auto& [slot, host] : chosen_[service]) used.insert(slot);
  int next = 1;
  PlacementRequest request = Request(service, 0);
  for (size_t h = 0; h < input_.host_count(); ++h) {
    if (tally_.replicas(service, h) > 0 || !Fits(request, h, false)) continue;
    while (used.count(next)) ++next;
    used.insert(next);
    Add(service, next, h);
  }
  if (chosen_[service].empty())
    unplaced_.push_back({input_.service(service).name, 1, Explain(request)});
}

void Placer::Add(size_t service, int slot, size_t host) {
  tally_.Add(service, host);
  chosen_[service][slot] = host;
}

PlacementRequest Placer::Request(size_t service, int slot) const {
  PlacementRequest request{input_, tally_, service, slot, std::nullopt};
  const std::vector<Existing>& list = existing_[service];
  auto it = std::lower_bound(list.begin(), list.end(), slot,
                             [](const Existing& e, int s) { return e.slot < s; });
  if (it != list.end() && it->slot == slot) request.current_host = it->host;
  return request;
}

// `tally_only` skips the filters whose verdict cannot have changed.
bool Placer::Fits(const PlacementRequest& request, size_t host, bool tally_only) const {
  std::vector<size_t> one{host};
  for (const auto& filter : stacks_[request.service].filters) {
    if (tally_only && !filter->reads_tally()) continue;
    filter->Keep(request, one);
    if (one.empty()) return false;
  }
  return true;
}

std::vector<size_t> Placer::Candidates(const PlacementRequest& request) const {
  std::vector<size_t> hosts(input_.host_count());
  for (size_t h = 0; h < hosts.size(); ++h) hosts[h] = h;
  for (const auto& filter : stacks_[request.service].filters) filter->Keep(request, hosts);
  return hosts;
}

// Each host's first rejecting filter. Every host has one here: Place asks
// only when no host is left.
std::string Placer::Explain(const PlacementRequest& request) const {
  if (std::optional<std::string> pinned = PinnedToUnreachable(request)) return *pinned;
  std::vector<Rejection> rejections;
  for (size_t h = 0; h < input_.host_count(); ++h) {
    std::vector<size_t> one{h};
    for (const auto& filter : stacks_[request.service].filters) {
      filter->Keep(request, one);
      if (one.empty()) {
        rejections.push_back(filter->Explain(request, h));
        break;
      }
    }
  }
  return UnplacedReason(input_.host_count(), rejections);
}

Placement Placer::Collect() const {
  Placement placement;
  const DesiredState& desired = input_.desired();
  for (size_t s = 0; s < desired.services.size(); ++s) {
    const ServiceSpec& spec = desired.services[s];
    for (const auto& [slot, host] : chosen_[s]) {
      placement.assignments.push_back(
          {spec.name, slot, input_.host(host).name, ContainerName(desired.project, spec, slot)});
    }
  }
  placement.unplaced = unplaced_;
  std::sort(placement.unplaced.begin(), placement.unplaced.end(),
            [](const Unplaced& a, const Unplaced& b) {
              return std::tie(a.service, a.slot) < std::tie(b.service, b.slot);
            });
  return placement;
}

}  // namespace

Placement Place(const DesiredState& desired, const ActualState& actual,
                const PlacementHints& hints) {
  return Placer(desired, actual, hints).Run();
}

}  // namespace baton::planner
