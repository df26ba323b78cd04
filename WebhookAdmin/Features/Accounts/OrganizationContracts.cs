namespace WebhookAdmin.Features.Accounts;

public sealed record PutCompanyRequest(string? Name);
public sealed record CompanyResponse(string Id, string Name, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record PutProjectRequest(string? CompanyId, string? Name);
public sealed record ProjectResponse(string Id, string CompanyId, string Name, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record PutMemberRequest(string? Role);
public sealed record MemberResponse(string ProjectId, string UserId, string Email, string Role);

public sealed record CreateUserRequest(string? Email, string? Password, string? DisplayName, bool? IsAdmin);
public sealed record UserResponse(string Id, string Email, string? DisplayName, bool IsAdmin, DateTime CreatedAt);

public sealed record CompanyTreeResponse(string Id, string Name, IReadOnlyList<ProjectBrief> Projects);
public sealed record ProjectBrief(string Id, string Name, string? Role);

public sealed record SignInTokenRequest(string? Email, string? Password, string? Name, string[]? Scopes);
