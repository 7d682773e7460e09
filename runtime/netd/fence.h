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
  bool operator==(const ProjectRecord&) const = default;
};

using FenceView = std::map<std::string, ProjectRecord>;  // by project
using Generations = std::map<std::string, uint64_t>;     // project -> generation

// The newest record per project among the containers of GET
// /containers/json?all=1&filters={"label":["baton.role=state"]}. Items
// without a project or a decimal generation are skipped. kInvalid when the
// reply is not a JSON array.
Result<FenceView> ReadStateRecords(std::string_view containers_json);

// What this host announces: the generation of each project it has a record of.
Generations GenerationsOf(const FenceView& view);

// What this host announces besides the generations: the placement of each
// project's newest record; a removed record has none.
std::map<std::string, SlotPlacement> PlacementsOf(const FenceView& view);

// The newest record of each project over this host's (`local`) and the ones
// its peers announce (generation and placement; on a tie ours is kept). A peer
// that announces no placement for a project gives an empty one.
FenceView NewestRecords(const FenceView& local, const std::vector<Announcement>& peers);

// True when a local endpoint that is otherwise ready may be in DNS: the
// project has no record anywhere, or the newest known record (`newest`, from
// NewestRecords) is not removed and assigns (service, slot) to `self`.
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
// than ours, or ours assigns (service, slot) to `peer`. Unfenced when neither
// side has a record of the project.
bool RemoteAccepted(const FenceView& local, const Generations& peer_generations,
                    const std::string& peer, const dns::Endpoint& endpoint);

// `local` with ready cleared where LocalReady says no.
std::vector<dns::Endpoint> FenceLocal(std::vector<dns::Endpoint> local, const FenceView& newest,
                                      const std::string& self);
// The peer's endpoints with ready cleared where RemoteAccepted says no (they
// stay listed: a container name answers, ready or not).
std::vector<dns::Endpoint> AcceptRemote(const FenceView& view, const Announcement& peer);

}  // namespace baton::netd
