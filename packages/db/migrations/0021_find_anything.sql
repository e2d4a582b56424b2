CREATE INDEX "vouchers_code_prefix" ON "vouchers" USING btree ("tenant_id","code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "subscribers_username_prefix" ON "subscribers" USING btree ("tenant_id",lower("username") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "subscribers_name_prefix" ON "subscribers" USING btree ("tenant_id",lower("full_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "subscribers_phone_suffix" ON "subscribers" USING btree ("tenant_id",reverse("phone") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "subscribers_mac" ON "subscribers" USING btree ("tenant_id","mac_address");--> statement-breakpoint
CREATE INDEX "radius_sessions_mac" ON "radius_sessions" USING btree ("tenant_id",upper(regexp_replace("calling_station_id", '[^0-9A-Fa-f]', '', 'g'))) WHERE calling_station_id is not null;