resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_security_group" "bastion" {
  name   = "bastion-${var.environment}"
  vpc_id = aws_vpc.main.id

  ingress {
    description = "SSH from admins"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }
}

resource "aws_vpc_security_group_ingress_rule" "web" {
  security_group_id = aws_security_group.bastion.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
