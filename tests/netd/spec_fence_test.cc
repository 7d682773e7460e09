// Fencing by spec (issue 7): during a rolling update a replica is in DNS only
// with its service's spec hash or the old one its slot is held at.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/netd/fence.h"

namespace baton::netd {
namespace {

const std::string kNew(64, 'b');  // the service's spec now
const std::string kOld(64, 'a');  // the spec before the update
const std::string kOlder(64, 'c');

// A state record container of project shop, generation `generation`, with
// web.1 on lab1 and web.2, web.3 on lab2, as GET /containers/json lists it.
// An empty label text leaves the label out.
std::string Record(uint64_t generation, const std::string& spec_hashes, const std::string& held) {
  nlohmann::json labels = {{"baton.role", "state"},
                           {"baton.state-of", "shop"},
                           {"baton.generation", std::to_string(generation)},
                           {"baton.placement", R"({"web":{"1":"lab1","2":"lab2","3":"lab2"}})"}};
  if (!spec_hashes.empty()) labels["baton.spec-hashes"] = spec_hashes;
  if (!held.empty()) labels["baton.held"] = held;
  return nlohmann::json{{"Id", "ab"}, {"Labels", labels}}.dump();
}

std::string SpecHashes() { return R"({"web":")" + kNew + R"("})"; }
std::string Held(int slot, const std::string& hash) {
  return R"({"web":{")" + std::to_string(slot) + R"(":")" + hash + R"("}})";
}

FenceView View(const std::string& record) {
  auto view = ReadStateRecords("[" + record + "]");
  REQUIRE(view.ok());
  return std::move(*view);
}

dns::Endpoint Web(int slot, const std::string& spec_hash) {
  dns::Endpoint endpoint{"shop_back", 0x0ad20302, "web", "shop-web", {}, true};
  endpoint.project = "shop";
  endpoint.slot = slot;
  endpoint.spec_hash = spec_hash;
  return endpoint;
}

TEST_CASE("spec fence: the labels are read into the record", "[netd][fence][spec]") {
  FenceView view = View(Record(8, SpecHashes(), Held(3, kOld)));
  CHECK(view.at("shop").spec_hashes == ServiceSpecHashes{{"web", kNew}});
  CHECK(view.at("shop").held == HeldSpecs{{"web", {{3, kOld}}}});
}

TEST_CASE("spec fence: a replica with the service's spec is in DNS", "[netd][fence][spec]") {
  FenceView view = View(Record(8, SpecHashes(), Held(3, kOld)));
  CHECK(LocalReady(view, "lab1", Web(1, kNew)));
  CHECK(RemoteAccepted(view, {{"shop", 8}}, "lab2", Web(2, kNew)));
}

TEST_CASE("spec fence: a held slot's old spec stays in DNS", "[netd][fence][spec]") {
  FenceView view = View(Record(8, SpecHashes(), Held(3, kOld)));
  CHECK(LocalReady(view, "lab2", Web(3, kOld)));
  CHECK(RemoteAccepted(view, {{"shop", 8}}, "lab2", Web(3, kOld)));
}

TEST_CASE("spec fence: an old spec its slot is not held at is fenced", "[netd][fence][spec]") {
  FenceView view = View(Record(8, SpecHashes(), Held(3, kOld)));
  CHECK_FALSE(LocalReady(view, "lab2", Web(2, kOld)));    // slot 2 is not held
  CHECK_FALSE(LocalReady(view, "lab2", Web(3, kOlder)));  // held at another spec
  CHECK_FALSE(RemoteAccepted(view, {{"shop", 8}}, "lab2", Web(2, kOld)));
  CHECK_FALSE(RemoteAccepted(view, {{"shop", 7}}, "lab2", Web(3, kOlder)));
}

TEST_CASE("spec fence: the spec rule does not override the placement", "[netd][fence][spec]") {
  FenceView view = View(Record(8, SpecHashes(), Held(3, kOld)));
  CHECK_FALSE(LocalReady(view, "lab1", Web(3, kOld)));  // web.3 is placed on lab2
  CHECK_FALSE(LocalReady(view, "lab2", Web(1, kNew)));
}

TEST_CASE("spec fence: a record without the spec labels checks no spec", "[netd][fence][spec]") {
  FenceView view = View(Record(8, "", ""));
  CHECK(view.at("shop").spec_hashes.empty());
  CHECK(LocalReady(view, "lab2", Web(2, kOlder)));
  CHECK(RemoteAccepted(view, {{"shop", 8}}, "lab2", Web(3, kOlder)));
}

TEST_CASE("spec fence: a service the record has no spec hash for is not checked",
          "[netd][fence][spec]") {
  FenceView view = View(Record(8, R"({"api":")" + kNew + R"("})", ""));
  CHECK(LocalReady(view, "lab2", Web(2, kOlder)));
}

TEST_CASE("spec fence: an endpoint without a spec hash is not checked", "[netd][fence][spec]") {
  // A container without the label, or a replica announced by an older peer.
  FenceView view = View(Record(8, SpecHashes(), ""));
  CHECK(LocalReady(view, "lab2", Web(2, "")));
  CHECK(RemoteAccepted(view, {{"shop", 8}}, "lab2", Web(2, "")));
}

TEST_CASE("spec fence: a damaged spec-hashes label checks no spec", "[netd][fence][spec]") {
  FenceView unreadable = View(Record(8, R"({"web":)", ""));
  CHECK(unreadable.at("shop").spec_hashes.empty());
  CHECK(LocalReady(unreadable, "lab2", Web(2, kOld)));
  // One entry that is not a hash: that service goes unchecked, not fenced.
  FenceView cut =
      View(Record(8, R"({"web":")" + kNew.substr(0, 40) + R"(","api":")" + kNew + R"("})", ""));
  CHECK(cut.at("shop").spec_hashes == ServiceSpecHashes{{"api", kNew}});
  CHECK(LocalReady(cut, "lab2", Web(2, kOld)));
}

TEST_CASE("spec fence: a damaged held label holds nothing", "[netd][fence][spec]") {
  FenceView unreadable = View(Record(8, SpecHashes(), R"({"web":{"3":)"));
  CHECK(unreadable.at("shop").held.empty());
  CHECK_FALSE(LocalReady(unreadable, "lab2", Web(3, kOld)));
  CHECK(LocalReady(unreadable, "lab2", Web(3, kNew)));
  FenceView bad_slot = View(Record(8, SpecHashes(), R"({"web":{"x":")" + kOld + R"("}})"));
  CHECK(bad_slot.at("shop").held.empty());
}

TEST_CASE("spec fence: dropping a slot from held fences its old replica everywhere",
          "[netd][fence][spec]") {
  // Generation 9 drops web.3 from held; lab2 (the replica's host) and lab3
  // still hold 8 while lab1 has 9 and announces it.
  Announcement lab1;
  lab1.host = "lab1";
  AnnounceRecords(View(Record(9, SpecHashes(), "")), lab1);
  FenceView lab2_records = View(Record(8, SpecHashes(), Held(3, kOld)));
  FenceView newest = NewestRecords(lab2_records, {lab1});
  CHECK_FALSE(LocalReady(newest, "lab2", Web(3, kOld)));
  CHECK(LocalReady(newest, "lab2", Web(2, kNew)));
  // lab1 judges lab2's announcement by its own generation 9.
  CHECK_FALSE(
      RemoteAccepted(View(Record(9, SpecHashes(), "")), {{"shop", 8}}, "lab2", Web(3, kOld)));
}

TEST_CASE("spec fence: the newer peer's spec hashes and held slots are taken",
          "[netd][fence][spec]") {
  Announcement peer;
  peer.host = "lab3";
  peer.generations = {{"shop", 9}};
  peer.placements = {{"shop", {{"web", {{1, "lab1"}}}}}};
  peer.spec_hashes = {{"shop", {{"web", kNew}}}};
  peer.held = {{"shop", {{"web", {{1, kOld}}}}}};
  FenceView newest = NewestRecords(View(Record(8, "", "")), {peer});
  CHECK(newest.at("shop").spec_hashes == ServiceSpecHashes{{"web", kNew}});
  CHECK(newest.at("shop").held == HeldSpecs{{"web", {{1, kOld}}}});
  // An older peer's record is not taken: ours (no spec labels) stays.
  peer.generations = {{"shop", 7}};
  CHECK(NewestRecords(View(Record(8, "", "")), {peer}).at("shop").spec_hashes.empty());
}

TEST_CASE("spec fence: a newer peer that announces no spec hashes checks no spec",
          "[netd][fence][spec]") {
  Announcement old_peer;
  old_peer.host = "lab3";
  old_peer.generations = {{"shop", 9}};
  old_peer.placements = {{"shop", {{"web", {{2, "lab2"}}}}}};
  FenceView newest = NewestRecords(View(Record(8, SpecHashes(), Held(3, kOld))), {old_peer});
  CHECK(newest.at("shop").spec_hashes.empty());
  CHECK(LocalReady(newest, "lab2", Web(2, kOlder)));
}

TEST_CASE("spec fence: the announcement carries the spec labels of live records",
          "[netd][fence][spec]") {
  FenceView view = View(Record(8, SpecHashes(), Held(3, kOld)));
  view["blog"] = {3, true, {}, {{"web", kNew}}, {{"web", {{1, kOld}}}}};
  Announcement out;
  out.held = {{"stale", {}}};
  AnnounceRecords(view, out);
  CHECK(out.generations == Generations{{"blog", 3}, {"shop", 8}});
  CHECK(out.placements.count("shop") == 1);
  CHECK(out.spec_hashes == std::map<std::string, ServiceSpecHashes>{{"shop", {{"web", kNew}}}});
  CHECK(out.held == std::map<std::string, HeldSpecs>{{"shop", {{"web", {{3, kOld}}}}}});
}

}  // namespace
}  // namespace baton::netd
