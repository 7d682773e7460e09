#pragma once
// Fencing by desired-state record generation (issue 6, design 3.6): never two
// replicas of one slot in DNS. Every host keeps the project's records
// (never-started containers, labels baton.role=state, baton.state-of,
// baton.generation, baton.placement, baton.removed); netd reads its own
// engine's and announces the newest generation of each project. A watcher
// writes generation n+1 (slot -> new host) before it creates the new copy,
// so a host that comes back with an old copy hears n+1 from its peers and
// drops that copy from DNS, and its peers never take it.
//
// A project with no record on any host (deployed before issue 6, or by
// another tool) is never fenced. Pure: tested on JSON text.
//
// Fencing by spec (issue 7): a record also says which spec every replica of
// a service should have (baton.spec-hashes) and which slots' old replicas
// may still serve during a rolling update (baton.held, with their old spec
// hash). A replica placed on its host is in DNS only with the service's
// spec or its slot's held one. `up` replaces a replica by first writing a
// record that drops its slot from `held`: every netd hears that generation
// from the first host written within about 0.1 s (peer_sync.h pushes a
// change at once) and takes the old replica out of DNS on every host, so
// it leaves DNS before `up` stops it and in-flight requests can finish.
// The placement alone cannot say this: during a start-first update the old
// and the new replica of a slot are on the same host.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/dns/resolve.h"
#include "runtime/netd/announcement.h"

namespace baton::netd {

// The newest record of one project on this host.
struct ProjectRecord {
  uint64_t generation = 0;
  bool removed = false;  // a `down` tombstone: nothing of the project is ready
  // service -> slot -> hosts-file name, from the baton.placement label; empty
  // when the label is missing or unreadable (then nothing is assigned).
  SlotPlacement placement;
  // The spec rule's inputs, from baton.spec-hashes and baton.held; both
  // empty for a record written before issue 7 (then no spec is checked). A
  // service without an entry in spec_hashes is not checked either.
  ServiceSpecHashes spec_hashes{};
  HeldSpecs held{};
  bool operator==(const ProjectRecord&) const = default;
};

using FenceView = std::map<std::string, ProjectRecord>;  // by project
using Generations = std::map<std::string, uint64_t>;     // project -> generation

// The newest record per project among the containers of GET
// /containers/json?all=1&filters={"label":["baton.role=state"]}. Items
// without a project or a decimal generation are skipped. kInvalid when the
// reply is not a JSON array.
//
// Damaged labels: what does not read in baton.placement or baton.held is
// left out (fail closed: a slot whose hold does not read serves only the
// current spec). baton.spec-hashes fails open instead: a label that is not a
// JSON object, or an entry that is not 64 lower-case hex digits, means no
// spec check for the project (or that service). A damaged current hash
// matches no replica of the new spec, so failing closed would leave only the
// held old replicas in DNS, the very ones `up` is about to stop: one bad
// label would take a whole project out of DNS. Failing open costs at most an
// old replica serving until `up` stops it, as every update did before issue
// 7; two copies of a slot on two hosts are still fenced by the placement.
Result<FenceView> ReadStateRecords(std::string_view containers_json);

// What this host announces: the generation of each project it has a record of.
Generations GenerationsOf(const FenceView& view);

// What this host announces besides the generations: the placement of each
// project's newest record; a removed record has none.
std::map<std::string, SlotPlacement> PlacementsOf(const FenceView& view);

// Sets `out`'s generations, placements, spec_hashes and held from `view`
// (the latter three left out for a removed record; empty maps too).
void AnnounceRecords(const FenceView& view, Announcement& out);

// The newest record of each project over this host's (`local`) and the ones
// its peers announce (generation, placement, spec hashes and held slots; on a
// tie ours is kept). A peer that announces no placement for a project gives
// an empty one; one that announces no spec hashes (it predates them, or its
// record has none) gives no spec check.
FenceView NewestRecords(const FenceView& local, const std::vector<Announcement>& peers);

// True when a local endpoint that is otherwise ready may be in DNS: the
// project has no record anywhere, or the newest known record (`newest`, from
// NewestRecords) is not removed, assigns (service, slot) to `self`, and
// passes the spec rule: the endpoint's spec hash is the record's for the
// service or the one held for its slot. No spec check when the record has no
// spec hash for the service or the endpoint has none (a container without
// the label, or a peer that predates it).
//
// Why the newest record's own placement and not "our record is the newest":
// records are written host by host (state_store.cc), so during every write,
// and for good after a write that missed some hosts, a host lags its peers.
// Fencing all of a lagging host's replicas would blink healthy replicas out
// of DNS on every `scale` or `up`. A lagging host fences only the slots the
// newer record places elsewhere, which is what fencing is for (design 3.6: a
// watcher writes n+1 with the slot on a new host before it starts the copy).
// The placement is announced rather than a digest because it is small (one
// host name per replica, less than the endpoints already announced) and a
// digest would still leave the lagging host unable to tell which slots moved.
bool LocalReady(const FenceView& newest, const std::string& self, const dns::Endpoint& endpoint);

// True when a ready endpoint announced by `peer` (whose generations are
// `peer_generations`) may be in this host's DNS: the peer knows a newer record
// than ours (it fenced its endpoints by that one), or ours assigns (service,
// slot) to `peer` and passes the spec rule of LocalReady. Unfenced when
// neither side has a record of the project.
bool RemoteAccepted(const FenceView& local, const Generations& peer_generations,
                    const std::string& peer, const dns::Endpoint& endpoint);

// `local` with ready cleared where LocalReady says no.
std::vector<dns::Endpoint> FenceLocal(std::vector<dns::Endpoint> local, const FenceView& newest,
                                      const std::string& self);
// The peer's endpoints with ready cleared where RemoteAccepted says no (they
// stay listed: a container name answers, ready or not).
std::vector<dns::Endpoint> AcceptRemote(const FenceView& view, const Announcement& peer);

}  // namespace baton::netd
