//! Milestones and resource allocations: the design's `createMilestone`, `updateMilestone`,
//! `deleteMilestone` and `allocateResource`, with reading, listing, changing and deleting.

use kiro_types::planning::{
    AllocationIn, AllocationPatch, Milestone, MilestoneIn, MilestonePatch, ResourceAllocation,
};

use super::{PlanningClient, body, encode, patch_call};
use crate::call::Call;
use crate::error::KiroError;

impl PlanningClient {
    pub async fn create_milestone(
        &self,
        project_id: &str,
        milestone: &MilestoneIn,
    ) -> Result<Milestone, KiroError> {
        let path = format!("/projects/{}/milestones", encode(project_id));
        self.send(Call::post(path).json(body(milestone)?)).await
    }

    pub async fn get_milestone(&self, id: &str) -> Result<Milestone, KiroError> {
        self.send(Call::get(format!("/milestones/{}", encode(id))))
            .await
    }

    /// A project's milestones.
    pub async fn list_milestones(&self, project_id: &str) -> Result<Vec<Milestone>, KiroError> {
        self.send(Call::get(format!(
            "/projects/{}/milestones",
            encode(project_id)
        )))
        .await
    }

    pub async fn update_milestone(
        &self,
        id: &str,
        updates: &MilestonePatch,
        expected_version: Option<i64>,
    ) -> Result<Milestone, KiroError> {
        let call = patch_call(
            format!("/milestones/{}", encode(id)),
            updates,
            expected_version,
        )?;
        self.send(call).await
    }

    pub async fn delete_milestone(&self, id: &str) -> Result<(), KiroError> {
        self.send(Call::delete(format!("/milestones/{}", encode(id))))
            .await
    }

    /// Books a resource on a project; more than a full day is allowed (utilisation flags
    /// it), negative refused.
    pub async fn allocate_resource(
        &self,
        project_id: &str,
        allocation: &AllocationIn,
    ) -> Result<ResourceAllocation, KiroError> {
        let path = format!("/projects/{}/allocations", encode(project_id));
        self.send(Call::post(path).json(body(allocation)?)).await
    }

    pub async fn get_allocation(&self, id: &str) -> Result<ResourceAllocation, KiroError> {
        self.send(Call::get(format!("/allocations/{}", encode(id))))
            .await
    }

    /// A project's allocations.
    pub async fn list_allocations(
        &self,
        project_id: &str,
    ) -> Result<Vec<ResourceAllocation>, KiroError> {
        self.send(Call::get(format!(
            "/projects/{}/allocations",
            encode(project_id)
        )))
        .await
    }

    pub async fn update_allocation(
        &self,
        id: &str,
        updates: &AllocationPatch,
        expected_version: Option<i64>,
    ) -> Result<ResourceAllocation, KiroError> {
        let call = patch_call(
            format!("/allocations/{}", encode(id)),
            updates,
            expected_version,
        )?;
        self.send(call).await
    }

    pub async fn delete_allocation(&self, id: &str) -> Result<(), KiroError> {
        self.send(Call::delete(format!("/allocations/{}", encode(id))))
            .await
    }
}
