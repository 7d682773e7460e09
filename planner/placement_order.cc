// PlacementOrder, declared in placement_order.h.

#include "planner/placement_order.h"

#include <set>
#include <utility>

namespace baton::planner {
namespace {

using ReadyKey = std::pair<bool, size_t>;  // (replicated, index): global first, then by name

ReadyKey Key(const PlacementInput& input, size_t service) {
  return {!input.service(service).global, service};
}

}  // namespace

// Kahn's algorithm over the affinity edges.
std::vector<size_t> PlacementOrder(const PlacementInput& input) {
  size_t count = input.desired().services.size();
  std::vector<int> waiting(count);
  std::vector<std::vector<size_t>> followers(count);
  for (size_t s = 0; s < count; ++s) {
    for (size_t target : input.facts(s).affinity) {
      if (target == s) continue;
      ++waiting[s];
      followers[target].push_back(s);
    }
  }
  std::set<ReadyKey> ready;
  for (size_t s = 0; s < count; ++s)
    if (waiting[s] == 0) ready.insert(Key(input, s));
  std::vector<size_t> order;
  std::vector<bool> done(count);
  while (order.size() < count) {
    if (ready.empty()) {  // a cycle: take its lowest name
      size_t s = 0;
      while (done[s]) ++s;
      waiting[s] = 0;
      ready.insert(Key(input, s));
    }
    size_t next = ready.begin()->second;
    ready.erase(ready.begin());
    order.push_back(next);
    done[next] = true;
    for (size_t follower : followers[next])
      if (--waiting[follower] == 0 && !done[follower]) ready.insert(Key(input, follower));
  }
  return order;
}

}  // namespace baton::planner
