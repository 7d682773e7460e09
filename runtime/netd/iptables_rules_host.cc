// Applies netd's chains and jumps with the host's own iptables. Every step
// lists first and acts on what it finds, so nothing depends on the wording of
// iptables' errors and nothing fails because it is already done.

#include "runtime/netd/iptables_rules.h"

namespace baton::netd {
namespace {

Status Ran(Result<std::string> run) {
  if (!run.ok()) return run.error();
  return Status::Ok();
}

void Keep(Status& first, Status next) {
  if (first.ok() && !next.ok()) first = std::move(next);
}

Result<std::string> ListTable(CommandRunner& runner, const std::string& table) {
  return runner.Run({"iptables", "-w", "-t", table, "-S"});
}

Status CreateChain(CommandRunner& runner, const std::string& table, const std::string& chain) {
  return Ran(runner.Run({"iptables", "-w", "-t", table, "-N", chain}));
}

Status DeleteJumps(CommandRunner& runner, const ChainJump& jump, int count) {
  for (int i = 0; i < count; ++i)
    if (auto s = Ran(
            runner.Run({"iptables", "-w", "-t", jump.table, "-D", jump.parent, "-j", jump.chain}));
        !s.ok()) {
      return s;
    }
  return Status::Ok();
}

Status EnsureJump(CommandRunner& runner, const ChainJump& jump) {
  auto listing = ListTable(runner, jump.table);
  if (!listing.ok()) return listing.error();
  if (jump.parent == "DOCKER-USER" && !ListingHasChain(*listing, jump.parent))
    if (auto s = CreateChain(runner, jump.table, jump.parent); !s.ok()) return s;
  if (!ListingHasChain(*listing, jump.chain))
    if (auto s = CreateChain(runner, jump.table, jump.chain); !s.ok()) return s;
  int count = CountJumps(*listing, jump.parent, jump.chain);
  if (count == 1 && JumpIsFirst(*listing, jump.parent, jump.chain)) return Status::Ok();
  if (auto s = DeleteJumps(runner, jump, count); !s.ok()) return s;
  return Ran(
      runner.Run({"iptables", "-w", "-t", jump.table, "-I", jump.parent, "1", "-j", jump.chain}));
}

Status RemoveChain(CommandRunner& runner, const ChainJump& jump) {
  auto listing = ListTable(runner, jump.table);
  if (!listing.ok()) return listing.error();
  if (auto s = DeleteJumps(runner, jump, CountJumps(*listing, jump.parent, jump.chain)); !s.ok()) {
    return s;
  }
  if (!ListingHasChain(*listing, jump.chain)) return Status::Ok();
  if (auto s = Ran(runner.Run({"iptables", "-w", "-t", jump.table, "-F", jump.chain})); !s.ok())
    return s;
  return Ran(runner.Run({"iptables", "-w", "-t", jump.table, "-X", jump.chain}));
}

}  // namespace

Status EnsureChainsAndJumps(CommandRunner& runner) {
  Status status;
  for (const ChainJump& jump : NetdChainJumps()) Keep(status, EnsureJump(runner, jump));
  return status;
}

Status RestoreRules(CommandRunner& runner, const std::string& text) {
  return Ran(runner.Run({"iptables-restore", "-w", "-n"}, text));
}

Status RemoveChains(CommandRunner& runner) {
  Status status;
  for (const ChainJump& jump : NetdChainJumps()) Keep(status, RemoveChain(runner, jump));
  return status;
}

}  // namespace baton::netd
