//! The registry of the six Kiro services, as discovery and health report them. A service is
//! `unavailable` until its module is mounted; each service's issue flips its entry when its
//! routes land.

use kiro_types::discovery::{ServiceInfo, ServiceStatus};

/// One service's static description.
struct Entry {
    name: &'static str,
    endpoints: &'static [&'static str],
    capabilities: &'static [&'static str],
    mounted: bool,
}

const SERVICES: [Entry; 6] = [
    Entry {
        name: "planning",
        endpoints: &["/v1/planning"],
        capabilities: &[
            "projects",
            "tasks",
            "dependencies",
            "critical-path",
            "milestones",
            "resource-utilization",
            "reports",
        ],
        mounted: true,
    },
    Entry {
        name: "prototyping",
        endpoints: &["/v1/prototyping"],
        capabilities: &[],
        mounted: false,
    },
    Entry {
        name: "documentation",
        endpoints: &["/v1/documentation"],
        capabilities: &[],
        mounted: false,
    },
    Entry {
        name: "workflow",
        endpoints: &["/v1/workflows", "/v1/workflow-executions"],
        capabilities: &[],
        mounted: false,
    },
    Entry {
        name: "execution",
        endpoints: &["/v1/execution"],
        capabilities: &[
            "sandboxed-run",
            "test-cases",
            "verdicts",
            "resource-usage",
            "environments",
            "custom-environments",
            "scripts",
        ],
        mounted: true,
    },
    Entry {
        name: "assessment",
        endpoints: &["/v1/assessment"],
        capabilities: &[
            "pdf-upload",
            "topic-analysis",
            "question-generation",
            "grading",
            "spaced-revision",
            "progress-analytics",
        ],
        mounted: true,
    },
];

/// Every service with its current status.
pub fn list() -> Vec<ServiceInfo> {
    SERVICES
        .iter()
        .map(|e| ServiceInfo {
            name: e.name.to_owned(),
            version: if e.mounted { "1.0" } else { "0.0" }.to_owned(),
            status: if e.mounted {
                ServiceStatus::Available
            } else {
                ServiceStatus::Unavailable
            },
            endpoints: e.endpoints.iter().map(|s| (*s).to_owned()).collect(),
            capabilities: e.capabilities.iter().map(|s| (*s).to_owned()).collect(),
        })
        .collect()
}
