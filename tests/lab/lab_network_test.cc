#include <catch2/catch.hpp>

#include "cli/lab/lab_network.h"

namespace baton::cli::lab {
namespace {

using Argv = std::vector<std::string>;

TEST_CASE("lab network: tagged rules become deletions", "[lab][network]") {
  std::string listing =
      "-P FORWARD ACCEPT\n"
      "-A FORWARD -i batonlab0 -o batonlab0 -m comment --comment baton-lab -j ACCEPT\n"
      "-A FORWARD -j DOCKER-USER\n";
  CHECK(TaggedRuleDeletions("filter", listing) ==
        std::vector<Argv>{{"iptables", "-w", "-t", "filter", "-D", "FORWARD", "-i", "batonlab0",
                           "-o", "batonlab0", "-m", "comment", "--comment", "baton-lab", "-j",
                           "ACCEPT"}});
}

TEST_CASE("lab network: quoted comment is recognised and unquoted", "[lab][network]") {
  auto deletions =
      TaggedRuleDeletions("nat", "-A POSTROUTING -m comment --comment \"baton-lab\" -j RETURN\n");
  REQUIRE(deletions.size() == 1);
  CHECK(deletions[0] == Argv{"iptables", "-w", "-t", "nat", "-D", "POSTROUTING", "-m", "comment",
                             "--comment", "baton-lab", "-j", "RETURN"});
}

TEST_CASE("lab network: other comments and chains are left alone", "[lab][network]") {
  std::string listing =
      "-N baton-lab\n"
      "-A INPUT -m comment --comment baton-lab-other -j ACCEPT\n"
      "-A INPUT -m comment --comment mine -j ACCEPT\n";
  CHECK(TaggedRuleDeletions("filter", listing).empty());
}

}  // namespace
}  // namespace baton::cli::lab
