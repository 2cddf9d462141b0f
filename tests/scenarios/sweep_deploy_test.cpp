// tests/scenarios/sweep_deploy_test.cpp: the sweep recipes the repository
// ships are run here, not only read.
//
// The CI workflow (examples/ci/roomsim-sweep.yml) and the Kubernetes
// manifests (deploy/k8s/) are parsed with yaml-cpp and checked for
// structure: the matrix has as many shards as the commands use, the Job's
// completion index reaches --shard, every `roomsim` command names an
// existing subcommand and flags it has, the batch/v1 fields are ones the
// Kubernetes API defines (no offline schema validator is packaged in Debian
// 12; docs/scaling.md says why). Then the exact shard commands they contain
// are executed on this machine for every index, with a small seed count
// substituted and the built binary on PATH, and merged by their own merge
// command: the result must equal one unsharded run. The Containerfile's
// runtime packages must provide every library the binary links.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/labels.hpp"
#include "cli_process.hpp"

namespace {

namespace fs = std::filesystem;
using namespace roomsim::testing;

// Small enough for a test (a few seconds), large enough that shards differ in size.
constexpr int kTestSeeds = 11;

std::string source_file(const std::string& relative) { return std::string(ROOMSIM_SOURCE_DIR) + "/" + relative; }

// 'text' for a POSIX shell.
std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string env_prefix(const std::map<std::string, std::string>& env) {
  std::string out = "env";
  for (const auto& [name, value] : env) out += " " + name + "=" + shell_quote(value);
  return out;
}

// The summary without its wall-clock fields, for comparing runs.
nlohmann::json deterministic_part(const std::string& file) {
  nlohmann::json j = nlohmann::json::parse(read_file(file));
  for (const char* k : {"wall_seconds", "seeds_per_s", "sim_wall_ratio"}) j.erase(k);
  return j;
}

// Every `roomsim SUBCOMMAND ... --flag ...` in a shell script (continuation
// lines joined), as {subcommand, flags}.
struct RoomsimCommand {
  std::string subcommand;
  std::vector<std::string> flags;
};
std::vector<RoomsimCommand> roomsim_commands(std::string script) {
  script = std::regex_replace(script, std::regex("\\\\\n"), " ");
  std::vector<RoomsimCommand> out;
  std::istringstream lines(script);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string w;
    std::optional<RoomsimCommand> current;
    while (words >> w) {
      if (current && (w == "||" || w == "&&" || w == "|" || w == ";" || w[0] == '>')) {
        out.push_back(*current);
        current.reset();
        continue;
      }
      if (!current && (w == "roomsim" || (w.size() > 8 && w.substr(w.size() - 8) == "/roomsim"))) {
        current.emplace();
        continue;
      }
      if (!current) continue;
      if (current->subcommand.empty()) {
        current->subcommand = w;
      } else if (w.rfind("--", 0) == 0) {
        current->flags.push_back(w.substr(0, w.find('=')));
      }
    }
    if (current) out.push_back(*current);
  }
  return out;
}

// Each flag must appear in `roomsim SUBCOMMAND --help`.
void expect_commands_exist(const std::string& where, const std::string& script) {
  const auto commands = roomsim_commands(script);
  for (const RoomsimCommand& c : commands) {
    const CliRun help = run_roomsim(c.subcommand + " --help");
    ASSERT_EQ(help.exit_code, 0) << where << ": `roomsim " << c.subcommand << "` is not a subcommand";
    for (const std::string& flag : c.flags) {
      EXPECT_TRUE(std::regex_search(help.output, std::regex("(^|[ ,])" + flag + "([ ,=\n]|$)")))
          << where << ": `roomsim " << c.subcommand << "` has no flag " << flag;
    }
  }
}

// A directory with `roomsim` linked to the built binary, to put first on PATH
// (the workflow's build step puts build/cli on PATH; the image has /usr/local/bin/roomsim).
// Returns a PATH value with that directory first.
std::string path_with_roomsim(const TempDir& dir) {
  const fs::path bin = dir.path() / "bin";
  fs::create_directories(bin);
  fs::create_symlink(roomsim_binary(), bin / "roomsim");
  const char* path = std::getenv("PATH");
  return bin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin");
}

class SweepDeploy : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(roomsim_binary())) GTEST_SKIP() << roomsim_binary() << " not built (build the roomsim target)";
  }
  // One unsharded run of `scenario` with the test's seed count: the reference.
  nlohmann::json unsharded(const TempDir& dir, const std::string& scenario) {
    const std::string out = dir.file("unsharded.json");
    const CliRun r = run_roomsim("run " + scenario + " --seeds " + std::to_string(kTestSeeds) + " -q --json " + out);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.output;
    return deterministic_part(out);
  }
};

// ---------------------------------------------------------------- CI workflow

YAML::Node step_named(const YAML::Node& steps, const std::string& needle, const std::string& key = "name") {
  for (const YAML::Node& s : steps) {
    if (s[key] && s[key].as<std::string>().find(needle) != std::string::npos) return s;
  }
  ADD_FAILURE() << "no step whose " << key << " contains \"" << needle << "\"";
  return YAML::Node();
}

// Replaces ${{ matrix.shard }}; any other expression in a script the test runs is an error.
std::string expand(std::string script, int shard) {
  script = std::regex_replace(script, std::regex("\\$\\{\\{\\s*matrix\\.shard\\s*\\}\\}"), std::to_string(shard));
  EXPECT_EQ(script.find("${{"), std::string::npos) << "an expression this test cannot evaluate:\n" << script;
  return script;
}

TEST_F(SweepDeploy, TheCiWorkflowsShardCommandsMergeToOneUnshardedRun) {
  const YAML::Node wf = YAML::LoadFile(source_file("examples/ci/roomsim-sweep.yml"));
  const YAML::Node env = wf["env"];
  ASSERT_TRUE(env && env["SCENARIO"] && env["SEEDS"] && env["SHARDS"]);
  const int shards = env["SHARDS"].as<int>();
  ASSERT_GE(shards, 2);
  EXPECT_EQ(wf["defaults"]["run"]["shell"].as<std::string>(), "bash");  // the test runs the scripts with bash

  // The shard job: a matrix of exactly 1..SHARDS that does not cancel itself.
  const YAML::Node shard_job = wf["jobs"]["shard"];
  ASSERT_TRUE(shard_job.IsMap());
  const YAML::Node matrix = shard_job["strategy"]["matrix"]["shard"];
  ASSERT_TRUE(matrix.IsSequence());
  ASSERT_EQ(static_cast<int>(matrix.size()), shards) << "matrix size != SHARDS";
  for (int k = 1; k <= shards; ++k) EXPECT_EQ(matrix[k - 1].as<int>(), k);
  EXPECT_FALSE(shard_job["strategy"]["fail-fast"].as<bool>());
  EXPECT_EQ(shard_job["container"].as<std::string>(), "debian:12");
  const YAML::Node steps = shard_job["steps"];
  const YAML::Node build = step_named(steps, "Build roomsim");
  const std::string build_script = build["run"].as<std::string>();
  for (const char* part : {"./scripts/install-deps.sh", "--target roomsim", "build/cli\" >> \"$GITHUB_PATH\""}) {
    EXPECT_NE(build_script.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(step_named(steps, "actions/cache@", "uses")["with"]["path"].as<std::string>(), ".ccache");
  EXPECT_NE(build_script.find("CCACHE_DIR=\"$GITHUB_WORKSPACE/.ccache\""), std::string::npos);
  const std::string run_script = step_named(steps, "Run the shard")["run"].as<std::string>();
  const YAML::Node upload = step_named(steps, "actions/upload-artifact@", "uses");
  const std::string upload_name = upload["with"]["name"].as<std::string>();
  const std::string upload_path = upload["with"]["path"].as<std::string>();
  expect_commands_exist("shard job", run_script);

  // The merge job: after every shard, even a failed one; downloads into one folder.
  const YAML::Node merge_job = wf["jobs"]["merge"];
  EXPECT_EQ(merge_job["needs"].as<std::string>(), "shard");
  EXPECT_NE(merge_job["if"].as<std::string>().find("!cancelled()"), std::string::npos);
  const YAML::Node download = step_named(merge_job["steps"], "actions/download-artifact@", "uses");
  const std::string download_dir = download["with"]["path"].as<std::string>();
  EXPECT_TRUE(download["with"]["merge-multiple"].as<bool>());
  const std::regex pattern(std::regex_replace(download["with"]["pattern"].as<std::string>(), std::regex("\\*"), ".*"));
  const std::string merge_script = step_named(merge_job["steps"], "Merge the shards")["run"].as<std::string>();
  expect_commands_exist("merge job", merge_script);
  EXPECT_NE(merge_script.find("--junit junit.xml"), std::string::npos);
  EXPECT_NE(merge_script.find("--report report"), std::string::npos);
  EXPECT_EQ(step_named(merge_job["steps"], "Publish the JUnit")["with"]["report_paths"].as<std::string>(), "junit.xml");
  const std::string published = step_named(merge_job["steps"], "Upload the HTML report")["with"]["path"].as<std::string>();
  EXPECT_NE(published.find("report/"), std::string::npos);

  // Run every shard job's command as the runner would, then the merge job's.
  TempDir dir("ci_workflow");
  const std::string scenario = env["SCENARIO"].as<std::string>();
  std::map<std::string, std::string> vars = {{"SCENARIO", scenario},
                                             {"SEEDS", std::to_string(kTestSeeds)},
                                             {"SHARDS", std::to_string(shards)},
                                             {"PATH", path_with_roomsim(dir)},
                                             {"GITHUB_STEP_SUMMARY", dir.file("step-summary.md")}};
  fs::create_directories(dir.path() / "merge" / download_dir);
  for (int k = 1; k <= shards; ++k) {
    const fs::path job = dir.path() / roomsim::testing::label("shard-", k);
    fs::create_directories(job);
    const std::string script = dir.write(roomsim::testing::label("shard-", k) + ".sh", expand(run_script, k));
    const CliRun r =
        run_shell("cd " + job.string() + " && " + env_prefix(vars) + " bash --noprofile --norc -eo pipefail " + script);
    ASSERT_EQ(r.exit_code, 0) << "shard " << k << ":\n" << r.output;
    // What upload-artifact takes and download-artifact (merge-multiple) puts in one folder.
    EXPECT_TRUE(std::regex_match(expand(upload_name, k), pattern)) << expand(upload_name, k);
    const fs::path summary = job / expand(upload_path, k);
    ASSERT_TRUE(fs::exists(summary)) << summary;
    EXPECT_EQ(nlohmann::json::parse(read_file(summary.string()))["shard"],
              std::to_string(k) + "/" + std::to_string(shards));
    fs::copy_file(summary, dir.path() / "merge" / download_dir / summary.filename());
  }
  const std::string script = dir.write("merge.sh", expand(merge_script, 0));
  const CliRun merged =
      run_shell("cd " + (dir.path() / "merge").string() + " && " + env_prefix(vars) +
                " bash --noprofile --norc -eo pipefail " + script);
  const nlohmann::json one = unsharded(dir, scenario);
  EXPECT_EQ(merged.exit_code, one["failures"].empty() ? 0 : 1) << merged.output;
  const std::string merged_json = (dir.path() / "merge" / "merged.json").string();
  ASSERT_TRUE(fs::exists(merged_json)) << merged.output;
  EXPECT_EQ(deterministic_part(merged_json), one);
  EXPECT_EQ(one["seeds_run"], kTestSeeds);
  EXPECT_TRUE(fs::exists(dir.path() / "merge" / "junit.xml"));
  EXPECT_TRUE(fs::exists(dir.path() / "merge" / "report" / "index.html"));
  EXPECT_NE(read_file(dir.file("step-summary.md")).find("merged " + std::to_string(shards) + " summaries"),
            std::string::npos);
}

// ------------------------------------------------------------ Kubernetes Job

// Keys the Kubernetes API (batch/v1, core/v1, as of 1.31) defines for the
// objects the manifests use; anything else would be rejected by a strict
// server or silently dropped by an old one.
const std::map<std::string, std::set<std::string>>& api_fields() {
  static const std::map<std::string, std::set<std::string>> fields = {
      {"Object", {"apiVersion", "kind", "metadata", "spec"}},
      {"ObjectMeta", {"name", "namespace", "labels", "annotations", "generateName"}},
      {"JobSpec",
       {"activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex", "completionMode", "completions", "managedBy",
        "manualSelector", "maxFailedIndexes", "parallelism", "podFailurePolicy", "podReplacementPolicy", "selector",
        "successPolicy", "suspend", "template", "ttlSecondsAfterFinished"}},
      {"PodFailurePolicy", {"rules"}},
      {"PodFailurePolicyRule", {"action", "onExitCodes", "onPodConditions"}},
      {"OnExitCodes", {"containerName", "operator", "values"}},
      {"OnPodCondition", {"type", "status"}},
      {"PodTemplateSpec", {"metadata", "spec"}},
      {"PodSpec",
       {"activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "containers", "dnsConfig", "dnsPolicy",
        "enableServiceLinks", "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers",
        "hostname", "imagePullSecrets", "initContainers", "nodeName", "nodeSelector", "os", "overhead",
        "preemptionPolicy", "priority", "priorityClassName", "readinessGates", "resourceClaims", "restartPolicy",
        "runtimeClassName", "schedulerName", "schedulingGates", "securityContext", "serviceAccountName",
        "setHostnameAsFQDN", "shareProcessNamespace", "subdomain", "terminationGracePeriodSeconds", "tolerations",
        "topologySpreadConstraints", "volumes"}},
      {"PodSecurityContext",
       {"fsGroup", "fsGroupChangePolicy", "runAsGroup", "runAsNonRoot", "runAsUser", "seLinuxOptions",
        "seccompProfile", "supplementalGroups", "sysctls"}},
      {"Container",
       {"args", "command", "env", "envFrom", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "name", "ports",
        "readinessProbe", "resizePolicy", "resources", "restartPolicy", "securityContext", "startupProbe", "stdin",
        "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices", "volumeMounts",
        "workingDir"}},
      {"EnvVar", {"name", "value", "valueFrom"}},
      {"ResourceRequirements", {"limits", "requests", "claims"}},
      {"VolumeMount", {"name", "mountPath", "readOnly", "subPath", "subPathExpr", "mountPropagation"}},
      {"Volume", {"name", "persistentVolumeClaim", "emptyDir", "configMap", "secret", "hostPath", "nfs"}},
      {"PersistentVolumeClaimVolumeSource", {"claimName", "readOnly"}},
      {"PersistentVolumeClaimSpec",
       {"accessModes", "resources", "storageClassName", "volumeMode", "volumeName", "selector", "dataSource"}},
      {"VolumeResourceRequirements", {"requests", "limits"}},
  };
  return fields;
}

void expect_fields(const YAML::Node& node, const std::string& type, const std::string& where) {
  ASSERT_TRUE(node.IsMap()) << where << ": expected an object (" << type << ")";
  const std::set<std::string>& known = api_fields().at(type);
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    EXPECT_EQ(known.count(key), 1u) << where << "/" << key << ": not a field of " << type;
  }
}

void expect_quantity(const YAML::Node& node, const std::string& where) {
  EXPECT_TRUE(std::regex_match(node.as<std::string>(), std::regex("[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?")))
      << where << ": not a resource quantity: " << node.as<std::string>();
}

// The structure of one Job against the batch/v1 fields; returns its one container.
YAML::Node check_job(const YAML::Node& job, const std::string& file) {
  expect_fields(job, "Object", file);
  EXPECT_EQ(job["apiVersion"].as<std::string>(), "batch/v1") << file;
  EXPECT_EQ(job["kind"].as<std::string>(), "Job") << file;
  expect_fields(job["metadata"], "ObjectMeta", file + "/metadata");
  const YAML::Node spec = job["spec"];
  expect_fields(spec, "JobSpec", file + "/spec");
  expect_fields(spec["template"], "PodTemplateSpec", file + "/spec/template");
  const YAML::Node pod = spec["template"]["spec"];
  expect_fields(pod, "PodSpec", file + "/spec/template/spec");
  EXPECT_EQ(pod["restartPolicy"].as<std::string>(), "Never") << file;  // required by podFailurePolicy
  if (pod["securityContext"]) expect_fields(pod["securityContext"], "PodSecurityContext", file + " securityContext");
  EXPECT_EQ(pod["containers"].size(), 1u) << file;
  const YAML::Node c = pod["containers"][0];
  expect_fields(c, "Container", file + " container");
  for (const YAML::Node& e : c["env"]) expect_fields(e, "EnvVar", file + " env");
  expect_fields(c["resources"], "ResourceRequirements", file + " resources");
  for (const char* kind : {"requests", "limits"}) {
    for (const auto& kv : c["resources"][kind]) {
      expect_quantity(kv.second, file + " resources/" + kind + "/" + kv.first.as<std::string>());
    }
  }
  std::set<std::string> volumes;
  for (const YAML::Node& v : pod["volumes"]) {
    expect_fields(v, "Volume", file + " volume");
    expect_fields(v["persistentVolumeClaim"], "PersistentVolumeClaimVolumeSource", file + " volume claim");
    EXPECT_EQ(v["persistentVolumeClaim"]["claimName"].as<std::string>(), "roomsim-results") << file;
    volumes.insert(v["name"].as<std::string>());
  }
  for (const YAML::Node& m : c["volumeMounts"]) {
    expect_fields(m, "VolumeMount", file + " volumeMount");
    EXPECT_EQ(volumes.count(m["name"].as<std::string>()), 1u) << file << ": mounts an undeclared volume";
  }
  EXPECT_EQ(c["command"].size(), 2u) << file;
  EXPECT_EQ(c["args"].size(), 1u) << file;
  return c;
}

std::string env_value(const YAML::Node& container, const std::string& name) {
  for (const YAML::Node& e : container["env"]) {
    if (e["name"].as<std::string>() == name) return e["value"].as<std::string>();
  }
  ADD_FAILURE() << "no env " << name;
  return "";
}

// Runs a container's command + args as the kubelet would exec them, with the
// volume's mount path mapped to `mount` and `roomsim` on PATH.
CliRun run_container(const YAML::Node& c, const std::map<std::string, std::string>& env, const std::string& mount) {
  const std::string mount_path = c["volumeMounts"][0]["mountPath"].as<std::string>();
  std::string command;
  for (const YAML::Node& part : c["command"]) command += shell_quote(part.as<std::string>()) + " ";
  std::string script = c["args"][0].as<std::string>();
  for (size_t at = script.find(mount_path); at != std::string::npos; at = script.find(mount_path, at + mount.size())) {
    script.replace(at, mount_path.size(), mount);
  }
  return run_shell(env_prefix(env) + " " + command + shell_quote(script));
}

TEST_F(SweepDeploy, TheIndexedJobsShardsMergeToOneUnshardedRun) {
  const YAML::Node sweep = YAML::LoadFile(source_file("deploy/k8s/sweep-job.yaml"));
  const YAML::Node merge = YAML::LoadFile(source_file("deploy/k8s/merge-job.yaml"));
  const YAML::Node pvc = YAML::LoadFile(source_file("deploy/k8s/results-pvc.yaml"));

  expect_fields(pvc, "Object", "results-pvc.yaml");
  EXPECT_EQ(pvc["apiVersion"].as<std::string>(), "v1");
  EXPECT_EQ(pvc["kind"].as<std::string>(), "PersistentVolumeClaim");
  EXPECT_EQ(pvc["metadata"]["name"].as<std::string>(), "roomsim-results");
  expect_fields(pvc["spec"], "PersistentVolumeClaimSpec", "results-pvc.yaml/spec");
  expect_fields(pvc["spec"]["resources"], "VolumeResourceRequirements", "results-pvc.yaml/spec/resources");
  expect_quantity(pvc["spec"]["resources"]["requests"]["storage"], "results-pvc.yaml storage");

  const YAML::Node shard = check_job(sweep, "sweep-job.yaml");
  const YAML::Node spec = sweep["spec"];
  EXPECT_EQ(spec["completionMode"].as<std::string>(), "Indexed");
  const int completions = spec["completions"].as<int>();
  EXPECT_EQ(std::to_string(completions), env_value(shard, "SHARDS")) << "completions != SHARDS";
  EXPECT_GE(completions, 2);
  EXPECT_GE(spec["parallelism"].as<int>(), 1);
  EXPECT_LE(spec["parallelism"].as<int>(), completions);
  EXPECT_GE(spec["backoffLimitPerIndex"].as<int>(), 1);  // one crashing shard is retried alone
  expect_fields(spec["podFailurePolicy"], "PodFailurePolicy", "sweep-job.yaml podFailurePolicy");
  bool fails_index_on_usage_error = false;
  for (const YAML::Node& rule : spec["podFailurePolicy"]["rules"]) {
    expect_fields(rule, "PodFailurePolicyRule", "sweep-job.yaml rule");
    const std::string action = rule["action"].as<std::string>();
    EXPECT_TRUE(action == "FailJob" || action == "FailIndex" || action == "Ignore" || action == "Count") << action;
    if (rule["onExitCodes"]) {
      expect_fields(rule["onExitCodes"], "OnExitCodes", "sweep-job.yaml onExitCodes");
      EXPECT_EQ(rule["onExitCodes"]["containerName"].as<std::string>(), shard["name"].as<std::string>());
      const std::string op = rule["onExitCodes"]["operator"].as<std::string>();
      EXPECT_TRUE(op == "In" || op == "NotIn");
      for (const YAML::Node& v : rule["onExitCodes"]["values"]) {
        EXPECT_NE(v.as<int>(), 0);
        fails_index_on_usage_error |= action == "FailIndex" && op == "In" && v.as<int>() == 2;
      }
    }
    for (const YAML::Node& cond : rule["onPodConditions"]) expect_fields(cond, "OnPodCondition", "onPodConditions");
  }
  EXPECT_TRUE(fails_index_on_usage_error) << "exit 2 (bad input) should fail its index without retries";
  const std::string shard_script = shard["args"][0].as<std::string>();
  EXPECT_NE(shard_script.find("JOB_COMPLETION_INDEX"), std::string::npos);
  expect_commands_exist("sweep-job.yaml", shard_script);
  const YAML::Node merger = check_job(merge, "merge-job.yaml");
  EXPECT_EQ(merger["volumeMounts"][0]["mountPath"].as<std::string>(),
            shard["volumeMounts"][0]["mountPath"].as<std::string>());
  const std::string merge_script = merger["args"][0].as<std::string>();
  expect_commands_exist("merge-job.yaml", merge_script);
  EXPECT_EQ(merger["image"].as<std::string>(), shard["image"].as<std::string>());

  TempDir dir("k8s_job");
  const std::string scenario = env_value(shard, "SCENARIO");
  std::map<std::string, std::string> vars;
  for (const YAML::Node& e : shard["env"]) vars[e["name"].as<std::string>()] = e["value"].as<std::string>();
  vars["SEEDS"] = std::to_string(kTestSeeds);
  vars["PATH"] = path_with_roomsim(dir);
  const std::string results = (dir.path() / "results").string();
  fs::create_directories(results);
  for (int index = 0; index < completions; ++index) {
    vars["JOB_COMPLETION_INDEX"] = std::to_string(index);
    const CliRun r = run_container(shard, vars, results);
    ASSERT_EQ(r.exit_code, 0) << "index " << index << ":\n" << r.output;
  }
  // A retried pod (backoffLimitPerIndex) rewrites its own summary, nothing else.
  vars["JOB_COMPLETION_INDEX"] = "0";
  ASSERT_EQ(run_container(shard, vars, results).exit_code, 0);
  size_t summaries = 0;
  for (const auto& entry : fs::directory_iterator(results)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("summary-", 0) != 0) continue;
    ++summaries;
    const int k = std::stoi(name.substr(8));
    EXPECT_EQ(nlohmann::json::parse(read_file(entry.path().string()))["shard"],
              std::to_string(k) + "/" + std::to_string(completions));
  }
  EXPECT_EQ(summaries, static_cast<size_t>(completions));

  const CliRun merged = run_container(merger, {{"PATH", vars["PATH"]}}, results);
  const nlohmann::json one = unsharded(dir, scenario);
  EXPECT_EQ(merged.exit_code, one["failures"].empty() ? 0 : 1) << merged.output;
  EXPECT_EQ(deterministic_part(results + "/merged.json"), one);
  EXPECT_TRUE(fs::exists(results + "/junit.xml"));
  EXPECT_TRUE(fs::exists(results + "/report/index.html"));

  // A lost shard makes the merge Job fail (exit 2), naming it.
  fs::remove(results + "/summary-" + std::to_string(completions) + ".json");
  const CliRun partial = run_container(merger, {{"PATH", vars["PATH"]}}, results);
  EXPECT_EQ(partial.exit_code, 2);
  EXPECT_NE(partial.output.find("missing shard " + std::to_string(completions) + "/" + std::to_string(completions)),
            std::string::npos)
      << partial.output;
}

// ------------------------------------------------------------- Containerfile

// Installed packages: name -> (priority, names it depends on), from one dpkg-query.
struct InstalledPackage {
  std::string priority;
  std::vector<std::string> depends;
};
std::map<std::string, InstalledPackage> installed_packages() {
  const CliRun r = run_shell("dpkg-query -W -f='${Package}\\t${Priority}\\t${Depends},${Pre-Depends}\\n'");
  std::map<std::string, InstalledPackage> out;
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string name, priority, depends;
    std::getline(fields, name, '\t');
    std::getline(fields, priority, '\t');
    std::getline(fields, depends);
    InstalledPackage& p = out[name];
    p.priority = priority;
    // "libc6 (>= 2.34), libfoo | libbar, libz:any" -> each name (alternatives count as dependencies too).
    std::istringstream deps(std::regex_replace(depends, std::regex("\\([^)]*\\)|\\||:any"), ","));
    std::string dep;
    while (std::getline(deps, dep, ',')) {
      dep = std::regex_replace(dep, std::regex("^\\s+|\\s+$"), "");
      if (!dep.empty()) p.depends.push_back(dep);
    }
  }
  return out;
}

void add_with_dependencies(const std::map<std::string, InstalledPackage>& installed, const std::string& package,
                           std::set<std::string>& out) {
  if (!out.insert(package).second) return;
  const auto it = installed.find(package);
  if (it == installed.end()) return;
  for (const std::string& dep : it->second.depends) add_with_dependencies(installed, dep, out);
}

TEST_F(SweepDeploy, TheContainerRuntimeStageHasEveryLibraryTheBinaryLinks) {
  const std::string text = read_file(source_file("Containerfile"));
  EXPECT_NE(text.find("FROM docker.io/library/debian:12 AS build"), std::string::npos);
  EXPECT_NE(text.find("RUN ./scripts/install-deps.sh"), std::string::npos);
  EXPECT_NE(text.find("--target roomsim"), std::string::npos);
  std::smatch install;
  ASSERT_TRUE(std::regex_search(text, install, std::regex("FROM docker.io/library/debian:12-slim\\s+RUN apt-get update "
                                                          "\\\\\\s+&& apt-get install -y --no-install-recommends ([^\\\\]+)")));
  const std::map<std::string, InstalledPackage> installed = installed_packages();
  std::set<std::string> provided;
  std::istringstream listed(install[1].str());
  std::string package;
  while (listed >> package) add_with_dependencies(installed, package, provided);
  // debian:12-slim holds the packages of priority "required" and what they need.
  for (const auto& [name, p] : installed) {
    if (p.priority == "required") add_with_dependencies(installed, name, provided);
  }

  const CliRun ldd = run_shell("ldd " + roomsim_binary());
  ASSERT_EQ(ldd.exit_code, 0) << ldd.output;
  std::vector<std::string> libraries;
  std::string search;
  std::istringstream lines(ldd.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, std::regex("=> (/\\S+)"))) continue;
    // Debian 12 is merged-/usr: dpkg knows a library under /lib or under /usr/lib.
    const std::string path = fs::canonical(m[1].str()).string();
    const std::string name = fs::path(path).filename().string();
    // A sanitizer build (make test-sanitize) links its runtime; the image ships a Release build.
    bool sanitizer_runtime = false;
    for (const char* runtime : {"libasan.", "libubsan.", "libtsan.", "liblsan."}) {
      sanitizer_runtime = sanitizer_runtime || name.rfind(runtime, 0) == 0;
    }
    if (sanitizer_runtime) continue;
    libraries.push_back(name);
    search += " " + shell_quote(path);
    if (path.rfind("/usr/", 0) == 0) search += " " + shell_quote(path.substr(4));
  }
  // One dpkg -S for all: "package:arch: /usr/lib/x86_64-linux-gnu/libssl.so.3".
  const CliRun owners = run_shell("dpkg -S" + search + " 2>/dev/null");
  std::map<std::string, std::string> owner_of;
  std::istringstream owned(owners.output);
  while (std::getline(owned, line)) {
    std::smatch m;
    if (std::regex_match(line, m, std::regex("([^:,]+)(:[a-z0-9]+)?: .*/([^/]+)"))) owner_of[m[3].str()] = m[1].str();
  }
  size_t checked = 0;
  for (const std::string& library : libraries) {
    ASSERT_EQ(owner_of.count(library), 1u) << "no Debian package ships " << library << "\n" << owners.output;
    const std::string& owner = owner_of[library];
    EXPECT_EQ(provided.count(owner), 1u) << library << " (package " << owner
                                         << ") is missing from the Containerfile's runtime stage";
    ++checked;
  }
  EXPECT_GE(checked, 5u);
}

}  // namespace
