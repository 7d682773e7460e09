#pragma once
// The lab's network in the machine's own namespace: the bridge batonlab0 with
// 10.209.0.1/24, one network namespace per host joined to it by a veth pair,
// and one iptables FORWARD rule so hosts reach each other across the bridge.
// No NAT and no default route: lab traffic never leaves the bridge.

#include <string>
#include <vector>

#include "base/result.h"
#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {

// Creates the bridge, its address and the FORWARD accept rule (tagged with
// kRuleComment). Fails with the failing command if any piece already exists.
Status CreateBridge();

// Creates the host's namespace /run/netns/batonlab-NAME with eth0 (the host's
// address) and lo up; the veth's other end joins the bridge.
Status CreateHostNetwork(const LabHost& host);

// Removes every network piece of any lab, whether up made it or a killed run
// left it: namespaces and veths named batonlab-*, the bridge, and iptables
// rules (filter and nat tables) tagged kRuleComment. Missing pieces are fine.
Status RemoveNetwork();

// From `iptables -t TABLE -S` output, the argv of each command that deletes a
// rule tagged kRuleComment ("-A FORWARD ..." becomes "iptables -w -t TABLE
// -D FORWARD ..."). Pure.
std::vector<std::vector<std::string>> TaggedRuleDeletions(const std::string& table,
                                                          const std::string& listing);

}  // namespace baton::cli::lab
