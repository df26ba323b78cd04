using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookAdmin.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReasonParts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DisabledBecause",
                table: "Webhooks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ErrorReason",
                table: "DeliveryAttempts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastErrorReason",
                table: "Deliveries",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DisabledBecause",
                table: "Webhooks");

            migrationBuilder.DropColumn(
                name: "ErrorReason",
                table: "DeliveryAttempts");

            migrationBuilder.DropColumn(
                name: "LastErrorReason",
                table: "Deliveries");
        }
    }
}
