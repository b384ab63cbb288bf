import "../../core/clients/every-client.ts";
