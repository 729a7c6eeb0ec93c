namespace Tickets.Cli;

/// <summary>The help text, shared by --help (stdout, exit 0) and usage errors (stderr, exit 2).</summary>
internal static class Usage
{
    public const string Text = """
        usage: tickets serve [options]
               tickets ticket-keys generate FILE [--count N] [--force]
               tickets ticket-keys rotate FILE [--keep N]
               tickets --help
               tickets --version

        A TLS 1.3 server issuing session tickets the way OpenSSL 3.0 does (SSL_CTX_set_num_tickets).

        serve options:
          --port N, --accept N   TCP port to listen on (default 4433; 0 picks a free port)
          --host ADDRESS         IP address to listen on (default 127.0.0.1; "localhost" means 127.0.0.1)
          --cert CHAIN.pem       server certificate (leaf first, then its chain); needs --key
          --key KEY.pem          private key of the leaf certificate; needs --cert
                                 without both: a self-signed ECDSA P-256 certificate for localhost;
                                 keys: ECDSA P-256/P-384/P-521, RSA, RSASSA-PSS, Ed25519, Ed448 (PEM: PKCS#8,
                                 or SEC1 / PKCS#1 for EC / RSA; not encrypted)
          --groups LIST          key exchange groups, most preferred first, OpenSSL's names separated by ':'
                                 (default X25519MLKEM768:x25519:secp256r1:x448:secp521r1:secp384r1:
                                 ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192; P-256 style names work too)
          --num-tickets N        tickets after a full handshake (default 2; 0 disables tickets)
          --session-timeout S    session/ticket lifetime in seconds (default 7200, capped at 604800 on the wire)
          --ticket-keys FILE     seal tickets with the keys of FILE (first key seals, the others only open) and
                                 follow changes to it while running; servers sharing FILE resume each other's tickets
          --ticket-key-rotation S  without --ticket-keys: replace the own random key every S seconds
                                 (default 43200; 0 never); older keys open while their tickets live
          --single-use-tickets   each ticket resumes at most once (RFC 8446 §8)
          --resume-any-server-name  resume a ticket whatever server name (SNI) the client sends now; by default
                                 a session resumes only under the name it was made for (or none, if it had none)
          --no-ticket            stateful tickets (SSL_OP_NO_TICKET): 16-byte ids into a session cache
          --session-cache-size N sessions the stateful cache keeps, least recently used evicted (default 20480)
          --session-cache-bytes N  bytes the stateful cache keeps, counting each session's client certificate
                                 (default 67108864, at least 65536); least recently used evicted
          --max-ticket-request N most tickets an RFC 9149 ticket_request obtains (default 8)
          --handshake-timeout S  drop a client that has not finished its handshake after S seconds (default 30)
          --max-connections N    serve at most N connections at once; more are closed at accept (default 512)
          --idle-timeout S       close an established connection silent for S seconds (default 300, echo mode)
          --write-timeout S      drop a client that takes none of our bytes for S seconds: it stopped reading
                                 (default 60; every write: data, tickets, KeyUpdate answers, close_notify)
          --max-handshake-message BYTES  longest handshake message a client may send, e.g. its certificate
                                 chain (default 131072, at least 1024); longer gets illegal_parameter
          --keylog FILE          append connection secrets to FILE in the NSS key log format (for Wireshark;
                                 anyone holding the file can decrypt the traffic; off by default)
          --redis HOST:PORT      join a fleet through this Redis: stateful sessions kept there, single use across
                                 the fleet, and one ticket key ring rotated (--ticket-key-rotation, 0: this server
                                 never rotates, it follows) by one server at a time for all; if Redis is away,
                                 handshakes fall back to full ones and tickets are sealed with the last known keys
          --fleet-kek-file FILE  the fleet's key-encryption key (base64 of 32 bytes, mode 0600) sealing everything
                                 kept in Redis; default: the environment variable TICKETS_FLEET_KEK
          --redis-password-file FILE  the Redis password (AUTH): the first line of FILE; default: the environment
                                 variable TICKETS_REDIS_PASSWORD (FILE wins if both are given); a refused
                                 password is handled as an unreachable Redis and logged once
          --redis-user NAME      log in to Redis as this ACL user (Redis 6+; default: the default user)
          --redis-timeout MS     longest wait for one Redis operation before falling back (default 500)
          --fleet-poll S         re-read the fleet's key ring every S seconds besides pub/sub (default 5); a new
                                 key seals 2 polls after its rotation, once every server can open with it
          --www                  answer HTTP GET with a page describing the connection, then close
                                 (default: echo application data back)
          --verify               ask for a client certificate in full handshakes (as s_server -verify)
          --Verify               require one: certificate_required without, the chain's alert if it does not verify
          --ca CA.pem            CAs a client certificate chain must end in (only these; no revocation checks)
          --pha-path /PATH       with --www: a GET for PATH first asks for a client certificate after the
                                 handshake (post-handshake authentication) and names its subject on the page
          --psk HEX              serve an external PSK (as s_server -psk): the key in hexadecimal; a client proving
                                 it holds the key gets a handshake without certificates, which counts as a
                                 resumption for tickets (one ticket); the key is never printed
          --psk-identity ID      the identity a client names that key by (default Client_identity, as s_server)
          --psk-hash HASH        sha256 (default, as s_server's TLS_AES_128_GCM_SHA256) or sha384: the hash the
                                 key is bound to; the server prefers a suite of that hash for a client naming it
          --allow-psk-ke         a client offering only psk_ke may use a PSK (ticket or --psk) without (EC)DHE,
                                 so without forward secrecy (as s_server -allow_no_dhe_kex); off by default
          --quiet                no per-connection log lines
          --trace                print every record and handshake message in both directions, field by
                                 field, with each ticket decision and its reason; lines start "conn N |"
          --trace-secrets        --trace plus the traffic secrets: UNSAFE outside a lab
          --help, -h             this text
          --version              print the version

        Commands on standard input (while it is open), applied to the most recent open connection,
        as in openssl s_server; each is acknowledged on standard output:
          c        request a client certificate now (post-handshake authentication)
          n N      set this connection's ticket count (SSL_set_num_tickets)
          N N      set the count for connections accepted from now on (SSL_CTX_set_num_tickets)
          t [N]    send N (default 1) extra tickets now (SSL_new_session_ticket)
          q        stop the server

        ticket-keys:
          generate FILE          write a new key file, mode 0600 (--count N keys, default 1; --force replaces FILE)
          rotate FILE            put a fresh key first, keep the previous N (--keep N, default 1) for opening
          Key file format: the line "tickets-ticket-keys v1", then one key a line: base64 of a 16-byte name and
          a 32-byte AES-256-GCM key, optionally followed by its creation time; '#' starts a comment.

        Stops cleanly on SIGINT or SIGTERM, or on q.
        """;

    public static void WriteError(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"tickets: {problem}");
        stderr.WriteLine();
        stderr.WriteLine(Text);
    }
}
