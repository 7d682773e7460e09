// The desired-state record: its JSON, the newest-wins rule, MergeScale, and
// re-loading a record into the same DesiredState (every corpus project).

#include "planner/desired_record.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "base/file_system.h"
#include "compose/load.h"
#include "tests/planner/desired_fixture.h"

namespace baton::planner {
namespace {

namespace fs = std::filesystem;
using testing::Desired;
using testing::LoadCompose;

const fs::path kCorpus = fs::path(BATON_SOURCE_DIR) / ".." / "shared" / "corpus";

DesiredRecord RecordOf(const compose::Project& project, const DesiredState& desired,
                       const DesiredRecord* previous = nullptr, const ContentDigests& content = {}) {
  return MakeRecord(project, desired, content, Placement{}, ActualState{}, previous,
                    "alice@laptop pid 42", "2026-11-29T05:00:00Z");
}

// The hashes DesiredFromRecord gives after a trip through the record's JSON.
std::map<std::string, std::string> ReloadedHashes(const DesiredRecord& record) {
  Result<DesiredRecord> parsed = ParseDesiredRecord(ToJson(record));
  if (!parsed.ok()) FAIL("parse: " << parsed.error().ToString());
  Result<DesiredState> desired = DesiredFromRecord(*parsed);
  if (!desired.ok()) FAIL("reload: " << desired.error().ToString());
  std::map<std::string, std::string> hashes;
  for (const ServiceSpec& spec : desired->services) hashes[spec.name] = spec.spec_hash;
  return hashes;
}

std::vector<fs::path> CorpusComposeFiles() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(kCorpus / "awesome-compose")) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && (name == "compose.yaml" || name == "docker-compose.yml" ||
                                    name == "docker-compose.yaml" || name == "compose.yml"))
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<compose::Project> LoadCorpusFile(const fs::path& file) {
  compose::LoadOptions options;
  options.files = {file.string()};
  options.working_dir = file.parent_path();
  options.home_dir = "/home/tester";
  options.environment = {{"HOME", "/home/tester"}, {"BAR", "this is a secret"},
                         {"QUX", "qux_from_environment"}};
  RealFileSystem files;
  return compose::Load(options, files);
}

TEST_CASE("record: every corpus project reloads with the same spec hashes",
          "[planner][record]") {
  if (!fs::is_directory(kCorpus)) {
    WARN("skipped: " << kCorpus.string() << " is absent (the shared compose corpus)");
    return;
  }
  int reloaded = 0;
  for (const fs::path& file : CorpusComposeFiles()) {
    INFO(file.string());
    Result<compose::Project> project = LoadCorpusFile(file);
    if (!project.ok()) FAIL(project.error().ToString());
    Result<DesiredState> desired = MakeDesiredState(*project);
    if (!desired.ok()) continue;  // refused by the planner (counted below)
    DesiredRecord record = RecordOf(*project, *desired);
    CHECK(ReloadedHashes(record) == record.spec_hashes);
    ++reloaded;
  }
  CHECK(reloaded >= 38);
}

TEST_CASE("record: local content digests survive the round trip", "[planner][record]") {
  compose::testing::MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  web:\n    build: ./web\n    volumes: [./conf:/etc/conf:ro]\n"
            "    env_file: [web.env]\n    label_file: [web.labels]\n");
  files.Add("/p/web.env", "A=1\n").Add("/p/web.labels", "tier=front\n");
  Result<compose::Project> loaded = compose::Load(compose::testing::In("/p"), files);
  REQUIRE(loaded.ok());
  compose::Project project = std::move(*loaded);
  ContentDigests content;
  content["web"].build = BuildUse{std::string(64, 'a'), "p-web", "p-web:baton-aaaaaaaaaaaa", "./web"};
  content["web"].copies.push_back(
      FileCopyUse{std::string(64, 'b'), "", "/etc/conf", true, false, "./conf", 10, 2});
  Result<DesiredState> desired = MakeDesiredState(project, content);
  REQUIRE(desired.ok());
  DesiredRecord record = RecordOf(project, *desired, nullptr, content);
  CHECK(ReloadedHashes(record) == record.spec_hashes);
  Result<compose::Project> reloaded = ProjectFromRecord(record);
  REQUIRE(reloaded.ok());
  CHECK(reloaded->services.at("web").environment.at("A") == std::optional<std::string>("1"));
  CHECK(reloaded->services.at("web").labels.at("tier") == "front");
}

TEST_CASE("record: the json is canonical and parses back to the same record",
          "[planner][record]") {
  compose::Project project = LoadCompose("services:\n  web:\n    image: nginx\n    scale: 2\n");
  DesiredState desired = Desired("services:\n  web:\n    image: nginx\n    scale: 2\n");
  DesiredRecord record = RecordOf(project, desired);
  record.placement["web"] = {{1, "lab1"}, {2, "lab3"}};
  record.volume_hosts["p_data"] = {"lab2"};
  record.stopped = {"web"};
  record.baton_version = "0.1.0";
  Result<DesiredRecord> parsed = ParseDesiredRecord(ToJson(record));
  REQUIRE(parsed.ok());
  CHECK(ToJson(*parsed) == ToJson(record));
  CHECK(parsed->scale == record.scale);
  CHECK(parsed->placement == record.placement);
  CHECK(PlacementLabel(record) == R"({"web":{"1":"lab1","2":"lab3"}})");
}

TEST_CASE("record: held slots and previous specs survive the json", "[planner][record]") {
  compose::Project project = LoadCompose("services:\n  web:\n    image: nginx\n");
  DesiredState desired = Desired("services:\n  web:\n    image: nginx\n");
  DesiredRecord record = RecordOf(project, desired);
  record.held["web"] = {{3, "aaa"}};
  record.previous["web"] = {R"({"image":"nginx:1"})", "bbb"};
  Result<DesiredRecord> parsed = ParseDesiredRecord(ToJson(record));
  REQUIRE(parsed.ok());
  CHECK(parsed->held == record.held);
  CHECK(parsed->previous == record.previous);
  CHECK(HeldLabel(record) == R"({"web":{"3":"aaa"}})");
  CHECK(SpecHashesLabel(record) == R"({"web":")" + desired.services[0].spec_hash + R"("})");
  // A record written before rolling updates has neither key.
  nlohmann::json old = nlohmann::json::parse(ToJson(record));
  old.erase("held");
  old.erase("previous");
  Result<DesiredRecord> older = ParseDesiredRecord(old.dump());
  REQUIRE(older.ok());
  CHECK(older->held.empty());
  CHECK(older->previous.empty());
  old["previous"] = {{"web", {{"spec_hash", "bbb"}}}};
  Result<DesiredRecord> bad = ParseDesiredRecord(old.dump());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().ToString() ==
        "desired state of " + record.project + ": previous.web.service_json: missing");
}

TEST_CASE("record: a changed service keeps its earlier spec and running replicas are held",
          "[planner][record]") {
  const char* v1 = "services:\n  web:\n    image: nginx\n    scale: 2\n  db:\n    image: pg\n";
  const char* v2 =
      "services:\n  web:\n    image: nginx\n    scale: 2\n    environment: [V=2]\n"
      "  db:\n    image: pg\n";
  DesiredState before = Desired(v1);
  DesiredRecord first = RecordOf(LoadCompose(v1), before);
  CHECK(first.previous.empty());

  DesiredState after = Desired(v2);
  const std::string old_web = before.FindService("web")->spec_hash;
  ActualState actual;
  HostState lab1;
  lab1.name = "lab1";
  lab1.reachable = true;
  for (int slot : {1, 2}) {
    ActualContainer c;
    c.name = "p-web-" + std::to_string(slot);
    c.service = "web";
    c.slot = slot;
    c.spec_hash = slot == 1 ? old_web : after.FindService("web")->spec_hash;
    c.state = "running";
    lab1.containers.push_back(c);
  }
  actual.hosts.push_back(lab1);
  Placement placement;
  placement.assignments.push_back({"web", 1, "lab1", "p-web-1"});
  placement.assignments.push_back({"web", 2, "lab1", "p-web-2"});
  DesiredRecord second = MakeRecord(LoadCompose(v2), after, {}, placement, actual, &first,
                                    "alice@laptop pid 42", "2026-11-29T05:00:00Z");
  REQUIRE(second.previous.count("web") == 1);
  CHECK(second.previous.at("web").spec_hash == old_web);
  CHECK(nlohmann::json::parse(second.previous.at("web").service_json)["image"] == "nginx");
  CHECK(second.previous.count("db") == 0);
  CHECK(second.held == std::map<std::string, std::map<int, std::string>>{{"web", {{1, old_web}}}});

  // An up that changes nothing carries the earlier spec on.
  DesiredRecord third = MakeRecord(LoadCompose(v2), after, {}, placement, ActualState{}, &second,
                                   "alice@laptop pid 42", "2026-11-29T05:00:00Z");
  CHECK(third.previous == second.previous);
  CHECK(third.held.empty());
}

TEST_CASE("record: a rollback returns the earlier spec and keeps the replaced one",
          "[planner][record]") {
  const char* v1 = "services:\n  web:\n    image: nginx\n  db:\n    image: pg\n";
  const char* v2 = "services:\n  web:\n    image: nginx\n    environment: [V=2]\n  db:\n"
                   "    image: pg\n";
  DesiredRecord first = RecordOf(LoadCompose(v1), Desired(v1));
  DesiredRecord second = RecordOf(LoadCompose(v2), Desired(v2), &first);
  Result<DesiredRecord> back = RolledBackRecord(second, "web");
  REQUIRE(back.ok());
  CHECK(back->spec_hashes == first.spec_hashes);
  CHECK(ReloadedHashes(*back) == first.spec_hashes);
  CHECK(back->previous.at("web").spec_hash == second.spec_hashes.at("web"));
  Result<DesiredRecord> again = RolledBackRecord(*back, "web");
  REQUIRE(again.ok());
  CHECK(again->spec_hashes == second.spec_hashes);
  Result<DesiredRecord> none = RolledBackRecord(second, "db");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().ToString() == "db has no earlier spec to roll back to");
  Result<DesiredRecord> unknown = RolledBackRecord(second, "nosuch");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().ToString() == "no such service \"nosuch\"");
}

TEST_CASE("record: the placement label parses back", "[planner][record]") {
  auto placement = ParsePlacementLabel(R"({"db":{"1":"lab2"},"web":{"1":"lab1","2":"lab3"}})");
  REQUIRE(placement.ok());
  CHECK(placement->at("web").at(2) == "lab3");
  auto bad = ParsePlacementLabel(R"({"web":{"0":"lab1"}})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().ToString() == "placement label: web.0: slot is not a positive integer");
}

TEST_CASE("record: malformed payload is located", "[planner][record]") {
  DesiredState desired = Desired("services:\n  web:\n    image: nginx\n");
  DesiredRecord record = RecordOf(LoadCompose("services:\n  web:\n    image: nginx\n"), desired);
  nlohmann::json doc = nlohmann::json::parse(ToJson(record));
  auto error_of = [](const nlohmann::json& changed) {
    Result<DesiredRecord> parsed = ParseDesiredRecord(changed.dump());
    return parsed.ok() ? std::string("parsed") : parsed.error().ToString();
  };
  nlohmann::json wrong = doc;
  wrong["scale"]["web"]["replicas"] = "three";
  CHECK(error_of(wrong) == "desired state of p: scale.web.replicas: expected an integer");
  wrong = doc;
  wrong.erase("generation");
  CHECK(error_of(wrong) == "desired state of p: generation: missing");
  wrong = doc;
  wrong["format"] = 2;
  CHECK(error_of(wrong) == "desired state of p: format: unknown format 2");
  wrong = doc;
  wrong["scale"]["web"]["set_by"] = "magic";
  CHECK(error_of(wrong) == "desired state of p: scale.web.set_by: unknown source \"magic\"");
  wrong = doc;
  wrong["stopped"] = {"web", 3};
  CHECK(error_of(wrong) == "desired state of p: stopped[1]: expected a string");
  CHECK(ParseDesiredRecord("{\"format\":").error().ToString() == "desired state: malformed json");
  CHECK(ParseDesiredRecord("[]").error().ToString() == "desired state: expected an object");
}

TEST_CASE("record: newer means generation, then written_at, then sha", "[planner][record]") {
  DesiredRecord a, b;
  a.generation = 3, b.generation = 2;
  CHECK(NewerRecord(a, "00", b, "ff"));
  CHECK_FALSE(NewerRecord(b, "ff", a, "00"));
  b.generation = 3;
  a.written_at = "2026-11-29T05:00:01Z", b.written_at = "2026-11-29T05:00:00Z";
  CHECK(NewerRecord(a, "00", b, "ff"));
  b.written_at = a.written_at;
  CHECK(NewerRecord(b, "ff", a, "00"));
  CHECK_FALSE(NewerRecord(a, "00", b, "ff"));
}

TEST_CASE("record: up keeps a scaled count while the file's replicas are unchanged",
          "[planner][record]") {
  DesiredState file = Desired("services:\n  web:\n    image: nginx\n    scale: 2\n");
  DesiredRecord previous;
  previous.scale["web"] = ServiceScale{5, 2, ScaleSource::kScale, "baton scale web=5 by alice"};
  std::map<std::string, ServiceScale> merged = MergeScale(file, &previous);
  CHECK(merged.at("web") == previous.scale.at("web"));
}

TEST_CASE("record: a changed file count wins", "[planner][record]") {
  DesiredState file = Desired("services:\n  web:\n    image: nginx\n    scale: 3\n");
  DesiredRecord previous;
  previous.scale["web"] = ServiceScale{5, 2, ScaleSource::kScale, "baton scale web=5 by alice"};
  CHECK(MergeScale(file, &previous).at("web") == ServiceScale{3, 3, ScaleSource::kFile, ""});
  CHECK(MergeScale(file, nullptr).at("web") == ServiceScale{3, 3, ScaleSource::kFile, ""});
}

TEST_CASE("record: an autoscaled count is kept within the file's bounds", "[planner][record]") {
  DesiredState file = Desired("services:\n  web:\n    image: nginx\n    scale: 2\n");
  file.services[0].autoscale = AutoscalePolicy{2, 6, 70, 1, std::chrono::minutes(5)};
  DesiredRecord previous;
  previous.scale["web"] = ServiceScale{9, 1, ScaleSource::kAutoscale, "cpu 93% > 70%: 4->9"};
  ServiceScale merged = MergeScale(file, &previous).at("web");
  CHECK(merged == ServiceScale{6, 2, ScaleSource::kAutoscale, "cpu 93% > 70%: 4->9"});
}

TEST_CASE("record: a service that dropped x-baton.autoscale takes the file's count",
          "[planner][record]") {
  DesiredState file = Desired("services:\n  web:\n    image: nginx\n    scale: 2\n");
  DesiredRecord previous;
  previous.scale["web"] = ServiceScale{6, 2, ScaleSource::kAutoscale, "cpu 93% > 70%: 4->6"};
  CHECK(MergeScale(file, &previous).at("web") == ServiceScale{2, 2, ScaleSource::kFile, ""});
}

TEST_CASE("record: hints give each slot's owner and only unreachable hosts' volumes",
          "[planner][record]") {
  DesiredRecord record;
  record.placement["web"] = {{1, "lab1"}, {2, "lab3"}};
  record.volume_hosts["shop_data"] = {"lab2", "lab3"};
  record.volume_hosts["shop_logs"] = {"lab1"};
  ActualState actual;
  for (const char* name : {"lab1", "lab2", "lab3"}) {
    HostState host;
    host.name = name;
    host.reachable = std::string(name) != "lab3";
    actual.hosts.push_back(host);
  }
  PlacementHints hints = HintsFromRecord(record, actual);
  CHECK(hints.owner == std::map<std::pair<std::string, int>, std::string>{
                           {{"web", 1}, "lab1"}, {{"web", 2}, "lab3"}});
  CHECK(hints.volume_hosts ==
        std::map<std::string, std::vector<std::string>>{{"shop_data", {"lab3"}}});
}

TEST_CASE("record: the record's counts apply and a changed hash is refused",
          "[planner][record]") {
  compose::Project project = LoadCompose("services:\n  web:\n    image: nginx\n");
  DesiredRecord record = RecordOf(project, Desired("services:\n  web:\n    image: nginx\n"));
  record.scale["web"].replicas = 4;
  Result<DesiredState> desired = DesiredFromRecord(record);
  REQUIRE(desired.ok());
  CHECK(desired->services.at(0).replicas == 4);
  record.spec_hashes["web"] = std::string(64, '0');
  record.baton_version = "0.0.9";
  Result<DesiredState> refused = DesiredFromRecord(record);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == Error::Kind::kInternal);
  CHECK(refused.error().ToString() ==
        "desired state of p: spec hash of web differs (written by baton 0.0.9)");
}

}  // namespace
}  // namespace baton::planner
