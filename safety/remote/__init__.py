"""Remote moderation: Alibaba Cloud Green. The SDK-backed modules load when a remote
checker is first built; the `aliyun` config section lives in safety/settings/."""
