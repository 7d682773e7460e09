// Fencing by desired-state record generation (design 3.6).

#include "runtime/netd/fence.h"

#include <catch2/catch.hpp>

namespace baton::netd {
namespace {

// A state record container as GET /containers/json lists it.
std::string Record(const std::string& project, const std::string& generation,
                   const std::string& placement, bool removed = false) {
  std::string labels = R"("baton.role":"state","baton.state-of":")" + project +
                       R"(","baton.generation":")" + generation + R"(","baton.placement":)" +
                       placement;
  if (removed) labels += R"(,"baton.removed":"true")";
  return R"({"Id":"ab","Labels":{)" + labels + "}}";
}

FenceView View(const std::string& items) {
  auto view = ReadStateRecords("[" + items + "]");
  REQUIRE(view.ok());
  return std::move(*view);
}

dns::Endpoint Replica(const std::string& project, const std::string& service, int slot) {
  dns::Endpoint endpoint{"shop_back", 0x0ad20302, service, project + "-" + service, {}, true};
  endpoint.project = project;
  endpoint.slot = slot;
  return endpoint;
}

constexpr char kPlacement[] = R"("{\"web\":{\"1\":\"lab1\",\"2\":\"lab3\"}}")";

TEST_CASE("fence: the newest local record of each project is kept", "[netd][fence]") {
  FenceView view = View(Record("shop", "7", kPlacement) + "," +
                        Record("shop", "8", R"("{\"web\":{\"1\":\"lab2\"}}")") + "," +
                        Record("blog", "3", "\"{}\"", true) + "," + Record("odd", "x", kPlacement));
  REQUIRE(view.size() == 2);
  CHECK(view.at("shop").generation == 8);
  CHECK(view.at("shop").placement.at("web").at(1) == "lab2");
  CHECK(view.at("blog").removed);
  CHECK(GenerationsOf(view) == Generations{{"blog", 3}, {"shop", 8}});
  CHECK(PlacementsOf(view) ==
        std::map<std::string, SlotPlacement>{{"shop", {{"web", {{1, "lab2"}}}}}});
}

TEST_CASE("fence: an unreadable record list is an error", "[netd][fence]") {
  auto view = ReadStateRecords("{\"message\":\"no\"}");
  REQUIRE_FALSE(view.ok());
  CHECK(view.error().ToString() == "engine: unreadable state record list");
}

TEST_CASE("fence: a local replica not in the record's placement is unready", "[netd][fence]") {
  FenceView view = View(Record("shop", "8", kPlacement));
  CHECK(LocalReady(view, "lab1", Replica("shop", "web", 1)));
  CHECK_FALSE(LocalReady(view, "lab1", Replica("shop", "web", 2)));
  CHECK_FALSE(LocalReady(view, "lab1", Replica("shop", "api", 1)));
}

Announcement Peer(const std::string& host, uint64_t generation, SlotPlacement placement) {
  Announcement peer;
  peer.host = host;
  peer.generations = {{"shop", generation}};
  peer.placements = {{"shop", std::move(placement)}};
  return peer;
}

TEST_CASE("fence: a lagging host fences only the slots the newer record places elsewhere",
          "[netd][fence]") {
  // Generation 9 moves web.2 from lab3 to lab2 and keeps web.1 on lab1; lab1
  // and lab3 still hold generation 8 while the write goes host by host.
  FenceView ours = View(Record("shop", "8", kPlacement));
  FenceView newest = NewestRecords(ours, {Peer("lab2", 9, {{"web", {{1, "lab1"}, {2, "lab2"}}}})});
  CHECK(newest.at("shop").generation == 9);
  CHECK(LocalReady(newest, "lab1", Replica("shop", "web", 1)));
  CHECK_FALSE(LocalReady(newest, "lab3", Replica("shop", "web", 2)));
}

TEST_CASE("fence: a newer record from a peer that announces no placement fences the project",
          "[netd][fence]") {
  Announcement old_peer;
  old_peer.host = "lab2";
  old_peer.generations = {{"shop", 9}};
  FenceView newest = NewestRecords(View(Record("shop", "8", kPlacement)), {old_peer});
  CHECK_FALSE(LocalReady(newest, "lab1", Replica("shop", "web", 1)));
}

TEST_CASE("fence: on equal generations our own record is kept", "[netd][fence]") {
  FenceView ours = View(Record("shop", "8", kPlacement));
  FenceView newest = NewestRecords(ours, {Peer("lab2", 8, {})});
  CHECK(newest == ours);
}

TEST_CASE("fence: a project without records is unfenced", "[netd][fence]") {
  FenceView view = View(Record("shop", "8", kPlacement));
  CHECK(LocalReady(view, "lab1", Replica("blog", "web", 5)));
  CHECK(RemoteAccepted(view, {}, "lab2", Replica("blog", "web", 5)));
  dns::Endpoint plain{"shop_back", 0x0ad20309, "", "tool", {}, true};
  CHECK(LocalReady(view, "lab1", plain));
}

TEST_CASE("fence: a host without the record follows the peers' placement", "[netd][fence]") {
  FenceView newest = NewestRecords({}, {Peer("lab2", 2, {{"web", {{1, "lab1"}}}})});
  CHECK(LocalReady(newest, "lab1", Replica("shop", "web", 1)));
  CHECK_FALSE(LocalReady(newest, "lab1", Replica("shop", "web", 2)));
}

TEST_CASE("fence: a removed record fences the project", "[netd][fence]") {
  FenceView view = View(Record("shop", "9", kPlacement, true));
  CHECK_FALSE(LocalReady(view, "lab1", Replica("shop", "web", 1)));
  CHECK(PlacementsOf(view).empty());
  CHECK_FALSE(RemoteAccepted(view, {{"shop", 9}}, "lab3", Replica("shop", "web", 2)));
}

TEST_CASE("fence: a peer's replica is taken when our record assigns it there or is older",
          "[netd][fence]") {
  FenceView view = View(Record("shop", "8", kPlacement));
  CHECK(RemoteAccepted(view, {{"shop", 8}}, "lab3", Replica("shop", "web", 2)));
  CHECK_FALSE(RemoteAccepted(view, {{"shop", 8}}, "lab2", Replica("shop", "web", 2)));
  CHECK_FALSE(RemoteAccepted(view, {{"shop", 7}}, "lab2", Replica("shop", "web", 1)));
  CHECK(RemoteAccepted(view, {{"shop", 9}}, "lab2", Replica("shop", "web", 1)));
  CHECK(RemoteAccepted({}, {{"shop", 1}}, "lab2", Replica("shop", "web", 1)));
}

TEST_CASE("fence: fencing clears ready but keeps the endpoint", "[netd][fence]") {
  FenceView view = View(Record("shop", "8", kPlacement));
  Announcement peer;
  peer.host = "lab2";
  peer.endpoints = {Replica("shop", "web", 1), Replica("blog", "web", 1)};
  peer.generations = {{"shop", 8}};
  std::vector<dns::Endpoint> accepted = AcceptRemote(view, peer);
  REQUIRE(accepted.size() == 2);
  CHECK_FALSE(accepted[0].ready);
  CHECK(accepted[1].ready);
  std::vector<dns::Endpoint> local =
      FenceLocal({Replica("shop", "web", 1), Replica("shop", "web", 2)}, view, "lab3");
  CHECK_FALSE(local[0].ready);
  CHECK(local[1].ready);
}

}  // namespace
}  // namespace baton::netd
