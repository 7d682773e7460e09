#pragma once
// The hosts that can take one service's replicas, ranked by the stack's
// scorers. Internal to Place (placement.cc).

#include <cstddef>
#include <vector>

#include "planner/placement_stack.h"

namespace baton::planner {

// Ranks hosts as the scorers say: by the first scorer's score, ties broken
// by the next, and so on, then by the lower host index.
//
// Scanning every host for each replica would cost hosts x replicas, so the
// ranking keeps structure between replicas of one service:
// - The leading scorers that score by spread group (Scorer::by_spread_group)
//   give every host of a group the same score, so they score one host per
//   group: hosts are split into groups by their values of the service's
//   spread attributes.
// - Within a group the other scorers each score one host alone, and placing
//   a replica only lowers the score of the host that took it. Each group
//   keeps a heap keyed by the scores its hosts had when last scored: a
//   stored key is an upper bound, so when the top host's fresh score equals
//   its stored one, no host of the group beats it.
// Valid only while the tally changes by replicas of this one service.
class HostRanking {
 public:
  HostRanking(const PlacementStack& stack, const PlacementRequest& request,
              const std::vector<size_t>& hosts);

  bool empty() const { return live_count_ == 0; }
  bool contains(size_t host) const { return host < live_.size() && live_[host]; }
  // The best host left. Not for an empty ranking.
  size_t Best(const PlacementRequest& request);
  // Drops a host that no longer passes the filters.
  void Drop(size_t host);

 private:
  struct Entry {
    size_t key;  // offset of its stored scores in keys_
    size_t host;
  };
  struct Group {
    size_t member = 0;  // any host of the group, to score the group by
    size_t live = 0;
    std::vector<Entry> heap;
  };

  bool Below(const Entry& a, const Entry& b) const;  // heap order: a ranks below b
  void Score(const PlacementRequest& request, size_t host, size_t from, size_t to,
             std::vector<double>& out);
  std::vector<size_t> BestGroups(const PlacementRequest& request);
  size_t BestIn(const PlacementRequest& request, Group& group);

  const PlacementStack& stack_;
  size_t group_scorers_ = 0;  // the leading scorers that score by spread group
  size_t width_ = 0;          // the other scorers: stored scores per entry
  std::vector<Group> groups_;
  std::vector<size_t> group_of_;  // by host index
  std::vector<bool> live_;        // by host index
  size_t live_count_ = 0;
  std::vector<double> keys_;  // append-only pool of stored scores
  // Scratch space, reused.
  std::vector<size_t> one_;
  std::vector<double> score_, fresh_, group_key_, best_key_;
};

}  // namespace baton::planner
