#pragma once
// The desired-state record (issue 6): what `up`, `scale`, `stop`/`start`,
// `down` and the watcher agree a project should be, stored on the hosts so
// that the watcher, any laptop and a restarted watcher read the same truth.
// runtime/state_store.h keeps it on the hosts; this file is the pure part:
// the payload, its JSON form, and turning it back into a DesiredState.
//
// The payload holds the compose project as JSON (the normalised model that
// `baton config --format json` prints, less env_file/label_file, which are
// already merged), so a watcher with no compose file re-loads it with the
// same loader. Each service's spec hash is kept beside it and checked on
// re-load: a round trip that would change a hash (another baton version) is
// refused rather than recreating every replica.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/placement.h"

namespace baton::planner {

// A service's spec before the `up` that last changed it (issue 7): what a
// rollback returns to, kept on the hosts so it works from any machine.
struct PreviousSpec {
  std::string service_json;  // the service's entry of the earlier compose_json
  std::string spec_hash;     // its spec hash then
  bool operator==(const PreviousSpec&) const = default;
};

// Who set a service's replica count last.
enum class ScaleSource { kFile, kScale, kAutoscale };

struct ServiceScale {
  int replicas = 1;       // in effect
  int file_replicas = 1;  // what the compose file said when it was written
  ScaleSource set_by = ScaleSource::kFile;
  std::string reason;  // "baton scale web=5 by alice@laptop", "cpu 93% > 70% for 15s: 2->4"
  bool operator==(const ServiceScale&) const = default;
};

struct DesiredRecord {
  int format = 1;
  std::string project;
  uint64_t generation = 0;
  bool removed = false;  // a `down` tombstone: the project must not run
  std::string compose_json;  // compose::ToJson(ProjectToNode(project)), files dropped
  std::map<std::string, std::string> spec_hashes;  // service -> spec hash when written
  std::map<std::string, ServiceScale> scale;       // replicated services only
  std::vector<std::string> stopped;                // services `baton stop` stopped, sorted
  // service -> slot -> host: the owner of each slot. The watcher's placement
  // prefers it, and netd answers DNS only for the recorded owner.
  std::map<std::string, std::map<int, std::string>> placement;
  // service -> slot -> spec hash: a replica whose spec differs from
  // spec_hashes that still serves its slot (a rolling update has not
  // replaced it yet, or `up SERVICE` left it). netd keeps in DNS a slot's
  // replica only when its spec hash is the service's or the one held here,
  // so dropping a slot from `held` takes its old replica out of DNS on every
  // host before it is stopped.
  std::map<std::string, std::map<int, std::string>> held;
  // service -> its spec before the last change, for rollback.
  std::map<std::string, PreviousSpec> previous;
  // Engine volume name -> hosts holding it, so that a down host's local
  // volumes still pin their services (its engine cannot be asked).
  std::map<std::string, std::vector<std::string>> volume_hosts;
  // Local content digests (issue 8) the compose file resolved to when
  // written: build tags and copy digests. Secret values are never here.
  std::string content_json;
  std::string written_by;
  std::string written_at;  // RFC 3339, the writer's clock; only a tie-break
  std::string baton_version;
};

// Canonical JSON: the same record always gives the same bytes (sorted keys),
// so its SHA-256 identifies it.
std::string ToJson(const DesiredRecord& record);

// kInvalid "desired state of shop: <what>" for malformed JSON, an unknown
// format, a missing key or a wrong type; `where` is "desired state".
Result<DesiredRecord> ParseDesiredRecord(std::string_view json);

// The compact placement label: {"web":{"1":"lab1","2":"lab3"}}.
std::string PlacementLabel(const DesiredRecord& record);
// The labels netd fences by spec with: {"web":"<sha256>"} and
// {"web":{"3":"<sha256>"}} (spec_hashes and held).
std::string SpecHashesLabel(const DesiredRecord& record);
std::string HeldLabel(const DesiredRecord& record);
Result<std::map<std::string, std::map<int, std::string>>> ParsePlacementLabel(
    std::string_view json);

// Newest first: by generation, then written_at, then the payload's sha.
bool NewerRecord(const DesiredRecord& a, const std::string& a_sha, const DesiredRecord& b,
                 const std::string& b_sha);

// Replica counts for a new record: a service whose file count is unchanged
// since `previous` keeps the previous count and its source (a `baton scale`
// survives `up`); a changed file count wins. Autoscaled services keep their
// count clamped to the file's [min, max]; a service whose x-baton.autoscale
// was removed takes the file's count.
std::map<std::string, ServiceScale> MergeScale(const DesiredState& file_desired,
                                               const DesiredRecord* previous);

// The record `up` writes: the project, counts (MergeScale), the plan's
// placement, volume hosts from `actual`, generation = previous + 1. Every
// placed slot whose replica on its host runs another spec is held at that
// spec (the caller drops the slots it replaces at once). A service whose
// spec hash changed since `previous` keeps its spec there as `previous`;
// an unchanged one carries previous's entry on.
DesiredRecord MakeRecord(const compose::Project& project, const DesiredState& desired,
                         const ContentDigests& content, const Placement& placement,
                         const ActualState& actual, const DesiredRecord* previous,
                         std::string written_by, std::string written_at);

// What a record tells Place beyond the engines: each slot's owner from
// record.placement, and record.volume_hosts only for hosts that `actual`
// shows unreachable (a reachable host's engine says itself which volumes it
// holds; a volume removed there must no longer pin its service to it).
PlacementHints HintsFromRecord(const DesiredRecord& record, const ActualState& actual);

// The project as written, loaded again in memory (no file is read).
Result<compose::Project> ProjectFromRecord(const DesiredRecord& record);

// The desired state the record asks for: the re-loaded project with the
// record's counts and stopped services applied. kInternal "desired state of
// shop: spec hash of web differs (written by baton X)" when the round trip
// changed a hash.
Result<DesiredState> DesiredFromRecord(const DesiredRecord& record);

// `record` with `service` returned to its previous spec (issue 7): the
// previous entry goes back into compose_json with its spec hash as the
// re-load gives it, and the spec it replaces becomes the previous one, so a
// second rollback undoes the first. Generation and writer are left for the
// caller. kNotFound `no such service "x"` for a service the record lacks,
// "web has no earlier spec to roll back to" when `up` never changed it.
Result<DesiredRecord> RolledBackRecord(const DesiredRecord& record, const std::string& service);

}  // namespace baton::planner
