using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookAdmin.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetentionIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Events_Unmatched",
                table: "Events",
                column: "ReceivedAt",
                filter: "\"DeliveryCount\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_Unmatched",
                table: "Events");
        }
    }
}
