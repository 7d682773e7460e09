#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {

LabHost LabLayout::Host(int index) const {
  LabHost h;
  h.index = index;
  h.name = "lab" + std::to_string(index);
  h.address = "10.209.0." + std::to_string(10 + index);
  h.zone = index % 2 == 1 ? "a" : "b";
  h.net_ns = kLinkPrefix + h.name;
  h.veth = kLinkPrefix + h.name;
  // Each host gets subnets of its own so that addresses stay unique across the
  // lab, which overlay networks between hosts will need.
  h.docker_bip = "10.209." + std::to_string(100 + index) + ".1/24";
  h.docker_pool = "10." + std::to_string(210 + index) + ".0.0/16";
  h.cgroup_parent = kCgroupPrefix + h.name;
  h.root = hosts_dir() / h.name;
  return h;
}

std::vector<LabHost> LabLayout::Hosts(int count) const {
  std::vector<LabHost> hosts;
  for (int i = 1; i <= count; ++i) hosts.push_back(Host(i));
  return hosts;
}

}  // namespace baton::cli::lab
