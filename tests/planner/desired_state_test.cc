#include "planner/desired_state.h"

#include <catch2/catch.hpp>

#include "tests/planner/desired_fixture.h"

namespace baton::planner {
namespace {

using testing::Desired;
using testing::DesiredError;
using testing::LoadCompose;
using testing::Spec;
using testing::Strings;

Strings ServiceNames(const DesiredState& desired) {
  Strings names;
  for (const ServiceSpec& spec : desired.services) names.push_back(spec.name);
  return names;
}

template <typename Specs>
Strings Keys(const Specs& specs) {
  Strings keys;
  for (const auto& spec : specs) keys.push_back(spec.key);
  return keys;
}

TEST_CASE("desired: one spec per enabled service, sorted by name", "[planner][desired]") {
  compose::LoadOptions options = compose::testing::In("/p");
  options.profiles = {"tools"};
  DesiredState desired = Desired(
      "name: shop\n"
      "services:\n"
      "  web: {image: web}\n"
      "  api: {image: api}\n"
      "  debug: {image: busybox, profiles: [debug]}\n"
      "  admin: {image: admin, profiles: [tools]}\n");
  CHECK(desired.project == "shop");
  CHECK(ServiceNames(desired) == Strings{"api", "web"});
  auto with_tools = MakeDesiredState(LoadCompose(
      "services:\n  web: {image: web}\n  admin: {image: admin, profiles: [tools]}\n", options));
  REQUIRE(with_tools.ok());
  CHECK(ServiceNames(*with_tools) == Strings{"admin", "web"});
}

TEST_CASE("desired: replicas come from deploy.replicas, then scale, then 1", "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  a: {image: x, deploy: {replicas: 3}}\n"
      "  b: {image: x, scale: 2}\n"
      "  c: {image: x}\n"
      "  d: {image: x, deploy: {replicas: 4}, scale: 4}\n");
  CHECK(Spec(desired, "a").replicas == 3);
  CHECK(Spec(desired, "b").replicas == 2);
  CHECK(Spec(desired, "c").replicas == 1);
  CHECK(Spec(desired, "d").replicas == 4);
  CHECK_FALSE(Spec(desired, "a").global);
}

TEST_CASE("desired: zero replicas are kept as zero", "[planner][desired]") {
  DesiredState desired =
      Desired("services:\n  a: {image: x, deploy: {replicas: 0}}\n  b: {image: x, scale: 0}\n");
  CHECK(Spec(desired, "a").replicas == 0);
  CHECK(Spec(desired, "b").replicas == 0);
}

TEST_CASE("desired: global and global-job modes are global", "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  agent: {image: x, deploy: {mode: global}}\n"
      "  once: {image: x, deploy: {mode: global-job}}\n"
      "  job: {image: x, deploy: {mode: replicated-job, replicas: 2}}\n");
  CHECK(Spec(desired, "agent").global);
  CHECK(Spec(desired, "once").global);
  CHECK_FALSE(Spec(desired, "job").global);
  CHECK(Spec(desired, "job").replicas == 2);
}

TEST_CASE("desired: FindService finds each service and nothing else", "[planner][desired]") {
  DesiredState desired = Desired("services:\n  a: {image: x}\n  b: {image: x}\n  c: {image: x}\n");
  for (const char* name : {"a", "b", "c"}) {
    REQUIRE(desired.FindService(name) != nullptr);
    CHECK(desired.FindService(name)->name == name);
  }
  CHECK(desired.FindService("") == nullptr);
  CHECK(desired.FindService("bb") == nullptr);
  CHECK(desired.FindService("d") == nullptr);
  CHECK(DesiredState{}.FindService("a") == nullptr);
}

TEST_CASE("desired: container names are project-service-slot", "[planner][desired]") {
  DesiredState desired = Desired("name: shop\nservices:\n  web: {image: x, scale: 3}\n");
  CHECK(ContainerName("shop", Spec(desired, "web"), 1) == "shop-web-1");
  CHECK(ContainerName("shop", Spec(desired, "web"), 3) == "shop-web-3");
}

TEST_CASE("desired: container_name is the name of a single replica", "[planner][desired]") {
  DesiredState desired =
      Desired("name: shop\nservices:\n  db: {image: x, container_name: the-db}\n");
  CHECK(ContainerName("shop", Spec(desired, "db"), 1) == "the-db");
}

TEST_CASE("desired: container_name on a global service is refused", "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  agent:\n"
                     "    image: x\n"
                     "    container_name: agent\n"
                     "    deploy: {mode: global}\n") ==
        "compose.yaml:4:5: services.agent.container_name: can't set container_name and "
        "deploy.mode global as container name must be unique");
}

TEST_CASE("desired: container_name with replicas is refused when the loader did not check",
          "[planner][desired]") {
  compose::LoadOptions options = compose::testing::In("/p");
  options.check_consistency = false;
  compose::Project project = LoadCompose(
      "services:\n  web:\n    image: x\n    deploy: {replicas: 2}\n    container_name: web\n",
      options);
  CHECK(DesiredError(project) ==
        "compose.yaml:5:5: services.web.container_name: can't set container_name and "
        "deploy.replicas as container name must be unique");
}

TEST_CASE("desired: negative replicas are refused when the loader did not check",
          "[planner][desired]") {
  compose::LoadOptions options = compose::testing::In("/p");
  options.check_consistency = false;
  compose::Project project =
      LoadCompose("services:\n  web:\n    image: x\n    scale: -1\n", options);
  CHECK(DesiredError(project) ==
        "compose.yaml:4:5: services.web.scale: must be greater than or equal to 0");
}

TEST_CASE("desired: placement constraints are parsed", "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  web:\n"
      "    image: x\n"
      "    deploy:\n"
      "      placement:\n"
      "        constraints:\n"
      "          - node.labels.zone==eu\n"
      "          - node.hostname != lab1\n"
      "          - node.platform.os == linux\n"
      "          - node.platform.arch==x86_64\n");
  const std::vector<Constraint>& c = Spec(desired, "web").constraints;
  REQUIRE(c.size() == 4);
  CHECK((c[0].attribute == "node.labels.zone" && c[0].equal && c[0].value == "eu"));
  CHECK(c[0].text == "node.labels.zone==eu");
  CHECK((c[1].attribute == "node.hostname" && !c[1].equal && c[1].value == "lab1"));
  CHECK(c[1].text == "node.hostname != lab1");
  CHECK((c[2].attribute == "node.platform.os" && c[2].equal && c[2].value == "linux"));
  CHECK((c[3].attribute == "node.platform.arch" && c[3].equal && c[3].value == "x86_64"));
}

TEST_CASE("desired: a constraint on an unknown attribute is located", "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  web:\n"
                     "    image: x\n"
                     "    deploy:\n"
                     "      placement:\n"
                     "        constraints: [node.labels.zone==eu, node.role==manager]\n") ==
        "compose.yaml:4:5: services.web.deploy.placement.constraints[1]: invalid constraint "
        "\"node.role==manager\": unknown attribute \"node.role\", expected node.hostname, "
        "node.labels.<key>, node.platform.os or node.platform.arch");
}

TEST_CASE("desired: a constraint without an operator is located", "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  web:\n"
                     "    image: x\n"
                     "    deploy: {placement: {constraints: [node.labels.zone=eu]}}\n") ==
        "compose.yaml:4:5: services.web.deploy.placement.constraints[0]: invalid constraint "
        "\"node.labels.zone=eu\": expected <attribute>==<value> or <attribute>!=<value>");
}

TEST_CASE("desired: spread, max_replicas_per_node and reservations are read",
          "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  web:\n"
      "    image: x\n"
      "    deploy:\n"
      "      resources: {reservations: {cpus: '0.5', memory: 256M}, limits: {cpus: '2'}}\n"
      "      placement:\n"
      "        max_replicas_per_node: 2\n"
      "        preferences: [{spread: node.labels.zone}, {spread: node.labels.rack}]\n"
      "  plain: {image: x}\n");
  const ServiceSpec& web = Spec(desired, "web");
  CHECK(web.spread == Strings{"node.labels.zone", "node.labels.rack"});
  CHECK(web.max_replicas_per_node == std::optional<uint64_t>(2));
  CHECK(web.reserved_cpus == 0.5);
  CHECK(web.reserved_memory == 256 * 1024 * 1024);
  const ServiceSpec& plain = Spec(desired, "plain");
  CHECK(plain.spread.empty());
  CHECK_FALSE(plain.max_replicas_per_node);
  CHECK(plain.reserved_cpus == 0);
  CHECK(plain.reserved_memory == 0);
}

TEST_CASE("desired: fixed published ports are listed, random and ranged ones are not",
          "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  web:\n"
      "    image: x\n"
      "    ports:\n"
      "      - 8080:80\n"
      "      - 127.0.0.1:5353:53/udp\n"
      "      - 9000-9010:9000\n"
      "      - '443'\n"
      "      - {target: 22, published: '2222', protocol: tcp, mode: host}\n");
  CHECK(
      Spec(desired, "web").published_ports ==
      std::vector<PublishedPort>{{"", 8080, "tcp"}, {"127.0.0.1", 5353, "udp"}, {"", 2222, "tcp"}});
}

TEST_CASE("desired: local named volumes pin a service, others do not", "[planner][desired]") {
  DesiredState desired = Desired(
      "name: shop\n"
      "services:\n"
      "  db:\n"
      "    image: x\n"
      "    volumes: [data:/var/lib/db, logs:/logs, shared:/shared, old:/old, ./conf:/conf, "
      "/cache, data:/again]\n"
      "  web: {image: x}\n"
      "volumes:\n"
      "  data: {}\n"
      "  logs: {driver: local, name: shop-logs}\n"
      "  shared: {driver: nfs}\n"
      "  old: {external: true}\n");
  CHECK(Spec(desired, "db").local_volumes == Strings{"shop-logs", "shop_data"});
  CHECK(Spec(desired, "web").local_volumes.empty());
}

TEST_CASE("desired: only the networks enabled services use are wanted", "[planner][desired]") {
  compose::Project project = LoadCompose(
      "services:\n"
      "  web: {image: x, networks: [front, back]}\n"
      "  worker: {image: x}\n"
      "  tool: {image: x, networks: [tools], profiles: [debug]}\n"
      "  host: {image: x, network_mode: host}\n"
      "networks:\n"
      "  front: {}\n"
      "  back: {external: true}\n"
      "  tools: {}\n"
      "  unused: {}\n");
  auto desired = MakeDesiredState(project);
  REQUIRE(desired.ok());
  CHECK(Keys(desired->networks) == Strings{"back", "default", "front"});
  CHECK(desired->networks[0].network.external);
  CHECK(desired->networks[1].network.name == "p_default");
}

TEST_CASE("desired: without any service on it, the default network is not wanted",
          "[planner][desired]") {
  DesiredState desired =
      Desired("services:\n  web: {image: x, networks: [front]}\nnetworks:\n  front: {}\n");
  CHECK(Keys(desired.networks) == Strings{"front"});
}

TEST_CASE("desired: only the volumes enabled services mount are wanted", "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  db: {image: x, volumes: [data:/data, ext:/ext]}\n"
      "  tool: {image: x, volumes: [scratch:/s], profiles: [debug]}\n"
      "volumes:\n"
      "  data: {}\n"
      "  ext: {external: true}\n"
      "  scratch: {}\n"
      "  unused: {}\n");
  CHECK(Keys(desired.volumes) == Strings{"data", "ext"});
  CHECK(desired.volumes[0].volume.name == "p_data");
  CHECK(desired.volumes[1].volume.external);
}

TEST_CASE("desired: x-baton affinity and anti_affinity name services", "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  web:\n"
      "    image: x\n"
      "    x-baton: {affinity: [db, cache, db], anti_affinity: worker}\n"
      "  db: {image: x}\n"
      "  cache: {image: x}\n"
      "  worker: {image: x, x-baton: {anti_affinity: [web]}}\n");
  CHECK(Spec(desired, "web").affinity == Strings{"cache", "db"});
  CHECK(Spec(desired, "web").anti_affinity == Strings{"worker"});
  CHECK(Spec(desired, "worker").anti_affinity == Strings{"web"});
  CHECK(Spec(desired, "db").affinity.empty());
}

TEST_CASE("desired: an empty x-baton has no rules", "[planner][desired]") {
  DesiredState desired = Desired("services:\n  web:\n    image: x\n    x-baton:\n");
  CHECK(Spec(desired, "web").affinity.empty());
  CHECK(Spec(desired, "web").anti_affinity.empty());
}

TEST_CASE("desired: an unknown x-baton key is located", "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  web:\n"
                     "    image: x\n"
                     "    x-baton:\n"
                     "      affinty: [db]\n"
                     "  db: {image: x}\n") ==
        "compose.yaml:5:7: services.web.x-baton.affinty: unknown key \"affinty\", expected "
        "affinity, anti_affinity, readiness or autoscale");
}

TEST_CASE("desired: x-baton that is not a mapping is refused", "[planner][desired]") {
  CHECK(DesiredError("services:\n  web:\n    image: x\n    x-baton: [db]\n  db: {image: x}\n") ==
        "compose.yaml:4:14: services.web.x-baton: must be a mapping, got sequence");
}

TEST_CASE("desired: affinity that is a mapping is refused", "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  web:\n"
                     "    image: x\n"
                     "    x-baton:\n"
                     "      affinity: {db: 1}\n"
                     "  db: {image: x}\n") ==
        "compose.yaml:5:17: services.web.x-baton.affinity: must be a service name or a list of "
        "service names, got mapping");
}

TEST_CASE("desired: an affinity item that is not a name is refused", "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  web:\n"
                     "    image: x\n"
                     "    x-baton:\n"
                     "      affinity: [db, [cache]]\n"
                     "  db: {image: x}\n") ==
        "compose.yaml:5:22: services.web.x-baton.affinity[1]: must be a service name, got "
        "sequence");
}

TEST_CASE("desired: affinity naming an unknown service is located", "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  web:\n"
                     "    image: x\n"
                     "    x-baton:\n"
                     "      affinity:\n"
                     "        - dbx\n"
                     "  db: {image: x}\n") ==
        "compose.yaml:6:11: services.web.x-baton.affinity[0]: undefined service \"dbx\"");
}

TEST_CASE("desired: anti_affinity given as one unknown name is located", "[planner][desired]") {
  CHECK(DesiredError("services:\n  web:\n    image: x\n    x-baton: {anti_affinity: nope}\n") ==
        "compose.yaml:4:30: services.web.x-baton.anti_affinity: undefined service \"nope\"");
}

TEST_CASE("desired: affinity naming a disabled service is refused", "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  web:\n"
                     "    image: x\n"
                     "    x-baton: {affinity: [debug]}\n"
                     "  debug: {image: x, profiles: [debug]}\n") ==
        "compose.yaml:4:26: services.web.x-baton.affinity[0]: service \"debug\" is not enabled");
}

TEST_CASE("desired: a service cannot name itself in x-baton", "[planner][desired]") {
  CHECK(DesiredError("services:\n  web:\n    image: x\n    x-baton: {anti_affinity: [web]}\n") ==
        "compose.yaml:4:31: services.web.x-baton.anti_affinity[0]: service \"web\" cannot "
        "refer to itself");
}

TEST_CASE("desired: a service under both affinity and anti_affinity is refused",
          "[planner][desired]") {
  CHECK(DesiredError("services:\n"
                     "  web:\n"
                     "    image: x\n"
                     "    x-baton:\n"
                     "      affinity: [db]\n"
                     "      anti_affinity: [db]\n"
                     "  db: {image: x}\n") ==
        "compose.yaml:6:7: services.web.x-baton.anti_affinity: service \"db\" is in both "
        "affinity and anti_affinity");
}

}  // namespace
}  // namespace baton::planner
