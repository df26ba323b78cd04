using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookAdmin.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExactRequestBodies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "Webhooks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "CompanyName",
                table: "Events",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProjectName",
                table: "Events",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WebhookRevision",
                table: "DeliveryAttempts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "WebhookRevisions",
                columns: table => new
                {
                    WebhookId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    Uid = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Events = table.Column<string>(type: "TEXT", nullable: false),
                    ProjectIds = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookRevisions", x => new { x.WebhookId, x.Revision });
                    table.ForeignKey(
                        name: "FK_WebhookRevisions_Webhooks_WebhookId",
                        column: x => x.WebhookId,
                        principalTable: "Webhooks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Existing webhooks start at revision 1 as they stand; existing events take today's names. Attempts made
            // before this migration record no revision, so the delivery page shows no exact body for them.
            migrationBuilder.Sql("""
                INSERT INTO "WebhookRevisions" ("WebhookId", "Revision", "Uid", "Url", "Enabled", "Status", "Events", "ProjectIds", "CreatedAt")
                SELECT "Id", "Revision", "Uid", "Url", "Enabled", "Status", "Events", "ProjectIds", "UpdatedAt" FROM "Webhooks";
                UPDATE "Events" SET
                    "ProjectName" = (SELECT p."Name" FROM "Projects" AS p WHERE p."Id" = "Events"."ProjectId"),
                    "CompanyName" = (SELECT c."Name" FROM "Companies" AS c WHERE c."Id" = "Events"."CompanyId");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WebhookRevisions");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "Webhooks");

            migrationBuilder.DropColumn(
                name: "CompanyName",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "ProjectName",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "WebhookRevision",
                table: "DeliveryAttempts");
        }
    }
}
