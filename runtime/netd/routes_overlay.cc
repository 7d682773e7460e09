// The overlay device: one VXLAN device per host, without learning (netd
// writes every peer's forwarding entry itself), its MTU leaving room for the
// 50 bytes of VXLAN headers on the underlay.

#include <nlohmann/json.hpp>

#include "runtime/netd/routes.h"

namespace baton::netd {
namespace {

using nlohmann::json;

constexpr int kVxlanOverhead = 50;

const Peer* SelfOf(const NetdConfig& config) {
  for (const Peer& peer : config.hosts)
    if (peer.name == config.host) return &peer;
  return nullptr;
}

Result<json> ListLinks(CommandRunner& runner, std::vector<std::string> argv) {
  auto listing = runner.Run(argv);
  if (!listing.ok()) return listing.error();
  json links = json::parse(*listing, nullptr, false);
  if (links.is_discarded() || !links.is_array())
    return Error::Internal("", "unreadable link listing");
  return links;
}

const json* FindLink(const json& links, std::string_view name) {
  for (const json& link : links)
    if (link.is_object() && link.value("ifname", "") == name) return &link;
  return nullptr;
}

// Whether the existing device is the VXLAN device `config` asks for.
bool SameDevice(const json& link, const NetdConfig& config, const std::string& local) {
  const json info = link.value("linkinfo", json::object());
  const json data = info.value("info_data", json::object());
  return info.value("info_kind", "") == "vxlan" && data.value("id", 0u) == config.vxlan_id &&
         data.value("port", 0u) == config.vxlan_port && data.value("local", "") == local;
}

// The MTU of the device holding `address`: the underlay the overlay rides on.
Result<int> UnderlayMtu(CommandRunner& runner, const std::string& address) {
  auto links = ListLinks(runner, {"ip", "-j", "addr", "show"});
  if (!links.ok()) return links.error();
  for (const json& link : *links) {
    if (!link.is_object()) continue;
    for (const json& info : link.value("addr_info", json::array()))
      if (info.is_object() && info.value("local", "") == address) return link.value("mtu", 1500);
  }
  return Error::NotFound("", "no device has address " + address);
}

Status Ran(Result<std::string> run) {
  if (!run.ok()) return run.error();
  return Status::Ok();
}

// Removes a device left with another VNI, port or address, and adds it when missing.
Status CreateDevice(CommandRunner& runner, const NetdConfig& config, const std::string& local) {
  auto links = ListLinks(runner, {"ip", "-j", "-d", "link", "show"});
  if (!links.ok()) return links.error();
  if (const json* link = FindLink(*links, kVxlanDevice)) {
    if (SameDevice(*link, config, local)) return Status::Ok();
    if (auto s = Ran(runner.Run({"ip", "link", "del", kVxlanDevice})); !s.ok()) return s;
  }
  return Ran(runner.Run({"ip", "link", "add", kVxlanDevice, "type", "vxlan", "id",
                         std::to_string(config.vxlan_id), "dstport",
                         std::to_string(config.vxlan_port), "local", local, "nolearning"}));
}

Result<std::string> SetUpDevice(CommandRunner& runner, const NetdConfig& config) {
  const Peer* self = SelfOf(config);
  if (self == nullptr)
    return Error::Invalid("netd config", "host " + config.host + " is not among hosts");
  if (auto s = CreateDevice(runner, config, self->address); !s.ok()) return s.error();
  auto mtu = UnderlayMtu(runner, self->address);
  if (!mtu.ok()) return mtu.error();
  if (auto s = Ran(
          runner.Run({"ip", "link", "set", "dev", kVxlanDevice, "address", VxlanMacFor(config.host),
                      "mtu", std::to_string(*mtu - kVxlanOverhead), "up"}));
      !s.ok()) {
    return s.error();
  }
  auto links = ListLinks(runner, {"ip", "-j", "link", "show", "dev", kVxlanDevice});
  if (!links.ok()) return links.error();
  const json* link = FindLink(*links, kVxlanDevice);
  if (link == nullptr) return Error::Internal("", "device baton-vx vanished");
  return link->value("address", "");
}

Status RemoveDevice(CommandRunner& runner) {
  auto links = ListLinks(runner, {"ip", "-j", "link", "show"});
  if (!links.ok()) return links.error();
  if (FindLink(*links, kVxlanDevice) == nullptr) return Status::Ok();
  return Ran(runner.Run({"ip", "link", "del", kVxlanDevice}));
}

// iproute2's JSON with a field of an unexpected type makes nlohmann throw.
const Error kUnreadable = Error::Internal("", "unreadable link listing");

}  // namespace

Result<std::string> EnsureVxlanDevice(CommandRunner& runner, const NetdConfig& config) {
  try {
    return SetUpDevice(runner, config);
  } catch (const nlohmann::json::exception&) {
    return kUnreadable;
  }
}

Status RemoveVxlanDevice(CommandRunner& runner) {
  try {
    return RemoveDevice(runner);
  } catch (const nlohmann::json::exception&) {
    return kUnreadable;
  }
}

}  // namespace baton::netd
