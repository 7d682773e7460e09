// ports and expose: published ports become port bindings, exposed ones
// exposed ports, "80/tcp" each.

#include <charconv>
#include <optional>

#include "runtime/container_spec_parts.h"

namespace baton::runtime::container_spec {
namespace {

constexpr uint32_t kMaxPort = 65535;

std::optional<uint32_t> ParsePort(std::string_view text) {
  uint32_t port = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port == 0 || port > kMaxPort)
    return std::nullopt;
  return port;
}

// "3000", "8000-8010" or "53/udp", one entry per port.
Result<std::vector<std::string>> ExpandExpose(const std::string& entry, const std::string& where) {
  std::string_view text = entry;
  std::string protocol = "tcp";
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    protocol = std::string(text.substr(slash + 1));
    text = text.substr(0, slash);
  }
  size_t dash = text.find('-');
  std::optional<uint32_t> first = ParsePort(text.substr(0, dash));
  std::optional<uint32_t> last =
      dash == std::string_view::npos ? first : ParsePort(text.substr(dash + 1));
  if (!first || !last || *last < *first || protocol.empty())
    return Error::Invalid(where, "invalid port \"" + entry + "\"");
  std::vector<std::string> ports;
  for (uint32_t port = *first; port <= *last; ++port)
    ports.push_back(std::to_string(port) + "/" + protocol);
  return ports;
}

}  // namespace

Status AddPorts(const SpecInput& in, ContainerSpec& spec) {
  // Compose has already expanded ranges to one entry per container port; a
  // published range left on one entry lets the engine pick a free port in it.
  for (const compose::PortConfig& port : in.service.ports)
    spec.host_config.port_bindings.push_back(
        {std::to_string(port.target) + "/" + port.protocol, port.host_ip, port.published});
  const std::vector<std::string>& expose = in.service.expose;
  for (size_t i = 0; i < expose.size(); ++i) {
    auto ports = ExpandExpose(expose[i], in.Where(in.Path("expose").Index(i), "expose"));
    if (!ports.ok()) return std::move(ports).error();
    spec.exposed_ports.insert(spec.exposed_ports.end(), ports->begin(), ports->end());
  }
  return Status::Ok();
}

}  // namespace baton::runtime::container_spec
