"""The generation app's tables, by idea: the registry, jobs, and the review of what they generate."""

from generation.models.copy import CopyField, CopyPhrase, CopyStyle, CopyTerm
from generation.models.first_run import FirstRun
from generation.models.jobs import CopyJob, Job, JobStatus, SamplingJob, TrainingJob, TrainingJobPoint, WorkerPresence
from generation.models.registry import Engine, Family, FeatureExtractor, GenerativeModel, ModelAuditEvent, PhotoCheck
from generation.models.review import GeneratedItem, RejectionReason, ReviewDecision, ReviewerSettings
from generation.publishing.models import CatalogExport, ExportFormat, Platform, PublishChannel
from generation.recommendations.models import (
    CategoryPairing,
    ImageFeature,
    ProductRow,
    RecommendationRule,
    RecommendationRuleChange,
    ServingState,
    ShopperEvent,
)
from generation.storefront.models import (
    AssistantMessage,
    Conversation,
    SavedAnswer,
    StoreArticle,
    StoreArticleRevision,
    StorefrontKey,
)

__all__ = [
    "CatalogExport",
    "ExportFormat",
    "Platform",
    "PublishChannel",
    "AssistantMessage",
    "Conversation",
    "SavedAnswer",
    "CategoryPairing",
    "ImageFeature",
    "ProductRow",
    "RecommendationRule",
    "RecommendationRuleChange",
    "ServingState",
    "ShopperEvent",
    "StoreArticle",
    "StoreArticleRevision",
    "StorefrontKey",
    "CopyJob",
    "CopyField",
    "CopyPhrase",
    "CopyStyle",
    "CopyTerm",
    "Engine",
    "Family",
    "FirstRun",
    "FeatureExtractor", "GeneratedItem", "GenerativeModel", "Job", "JobStatus", "ModelAuditEvent", "PhotoCheck",
    "RejectionReason", "ReviewDecision", "ReviewerSettings", "SamplingJob", "TrainingJob", "TrainingJobPoint",
    "WorkerPresence",
]  # fmt: skip
