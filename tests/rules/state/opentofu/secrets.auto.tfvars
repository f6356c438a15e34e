# Kept out of git in real projects; the value is too short anyway.
remote_passphrase = "tooshort"
