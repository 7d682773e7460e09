// HostRanking, declared in placement_ranking.h.

#include "planner/placement_ranking.h"

#include <algorithm>
#include <map>

namespace baton::planner {

HostRanking::HostRanking(const PlacementStack& stack, const PlacementRequest& request,
                         const std::vector<size_t>& hosts)
    : stack_(stack), one_(1), score_(1) {
  while (group_scorers_ < stack.scorers.size() && stack.scorers[group_scorers_]->by_spread_group())
    ++group_scorers_;
  width_ = stack.scorers.size() - group_scorers_;
  size_t end = hosts.empty() ? 0 : *std::max_element(hosts.begin(), hosts.end()) + 1;
  live_.resize(end);
  group_of_.resize(end);
  keys_.resize(hosts.size() * width_);
  std::vector<double> scores(hosts.size());
  for (size_t k = 0; k < width_; ++k) {
    stack.scorers[group_scorers_ + k]->Score(request, hosts, scores);
    for (size_t i = 0; i < hosts.size(); ++i) keys_[i * width_ + k] = scores[i];
  }
  std::map<std::vector<int>, size_t> group_index;
  const std::vector<size_t>& attributes = request.facts().spread_attributes;
  std::vector<int> values;
  for (size_t i = 0; i < hosts.size(); ++i) {
    values.clear();
    for (size_t attribute : attributes)
      values.push_back(request.input.attribute_values(attribute)[hosts[i]]);
    auto [it, added] = group_index.emplace(values, groups_.size());
    if (added) groups_.push_back({hosts[i], 0, {}});
    Group& group = groups_[it->second];
    group_of_[hosts[i]] = it->second;
    group.heap.push_back({i * width_, hosts[i]});
    ++group.live;
    live_[hosts[i]] = true;
  }
  live_count_ = hosts.size();
  for (Group& group : groups_)
    std::make_heap(group.heap.begin(), group.heap.end(),
                   [this](const Entry& a, const Entry& b) { return Below(a, b); });
}

bool HostRanking::Below(const Entry& a, const Entry& b) const {
  for (size_t k = 0; k < width_; ++k) {
    double x = keys_[a.key + k], y = keys_[b.key + k];
    if (x != y) return x < y;
  }
  return a.host > b.host;  // the lower index ranks higher
}

// The scores of scorers [from, to) for one host.
void HostRanking::Score(const PlacementRequest& request, size_t host, size_t from, size_t to,
                        std::vector<double>& out) {
  one_[0] = host;
  out.clear();
  for (size_t k = from; k < to; ++k) {
    stack_.scorers[k]->Score(request, one_, score_);
    out.push_back(score_[0]);
  }
}

// The groups with live hosts whose group scores are the best.
std::vector<size_t> HostRanking::BestGroups(const PlacementRequest& request) {
  std::vector<size_t> best;
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (groups_[g].live == 0) continue;
    Score(request, groups_[g].member, 0, group_scorers_, group_key_);
    if (!best.empty() && group_key_ < best_key_) continue;
    if (best.empty() || best_key_ < group_key_) best.clear();
    best.push_back(g);
    best_key_ = group_key_;
  }
  return best;
}

// The group's best live host. Dropped hosts leave the heap when they reach
// the top; a host whose score fell goes back with its fresh score.
size_t HostRanking::BestIn(const PlacementRequest& request, Group& group) {
  auto below = [this](const Entry& a, const Entry& b) { return Below(a, b); };
  while (true) {
    Entry top = group.heap.front();
    if (live_[top.host]) {
      Score(request, top.host, group_scorers_, stack_.scorers.size(), fresh_);
      if (std::equal(fresh_.begin(), fresh_.end(), keys_.begin() + top.key)) return top.host;
    }
    std::pop_heap(group.heap.begin(), group.heap.end(), below);
    group.heap.pop_back();
    if (!live_[top.host]) continue;
    group.heap.push_back({keys_.size(), top.host});
    keys_.insert(keys_.end(), fresh_.begin(), fresh_.end());
    std::push_heap(group.heap.begin(), group.heap.end(), below);
  }
}

size_t HostRanking::Best(const PlacementRequest& request) {
  std::vector<size_t> tied = BestGroups(request);
  const Entry* best = nullptr;
  for (size_t g : tied) {
    BestIn(request, groups_[g]);
    const Entry& top = groups_[g].heap.front();
    if (!best || Below(*best, top)) best = &top;
  }
  return best->host;
}

void HostRanking::Drop(size_t host) {
  if (!contains(host)) return;
  live_[host] = false;
  --groups_[group_of_[host]].live;
  --live_count_;
}

}  // namespace baton::planner
